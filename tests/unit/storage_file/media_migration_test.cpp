// The Pro media cache (data/temp/{image,video}) moves to <cache>/{image,video} at open.
#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

using StorageFileMediaMigration = StorageFileTest;

TEST_F(StorageFileMediaMigration, MovesFilesAndLeavesNameClashesInPlace) {
  write_text(data / "temp" / "image" / "users-u1-a.jpg", "A");
  write_text(data / "temp" / "image" / "users-u1-b.jpg", "new B");
  write_text(data / "temp" / "video" / "users-u1-v.mp4", "V");
  write_text(data / "cache" / "image" / "users-u1-b.jpg", "old B");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(read_text(data / "cache" / "image" / "users-u1-a.jpg"), "A");
  EXPECT_EQ(read_text(data / "cache" / "video" / "users-u1-v.mp4"), "V");
  EXPECT_FALSE(std::filesystem::exists(data / "temp" / "image" / "users-u1-a.jpg"));
  EXPECT_FALSE(std::filesystem::exists(data / "temp" / "video" / "users-u1-v.mp4"));
  // A file already in the cache wins; the Pro copy stays where it was.
  EXPECT_EQ(read_text(data / "cache" / "image" / "users-u1-b.jpg"), "old B");
  EXPECT_EQ(read_text(data / "temp" / "image" / "users-u1-b.jpg"), "new B");
  EXPECT_TRUE(host.logged("users-u1-b.jpg already exists", G2A_LOG_WARN));
  EXPECT_TRUE(host.logged("moved 2 cached media file(s)", G2A_LOG_INFO));
}

TEST_F(StorageFileMediaMigration, UsesTheHostsCacheDirectory) {
  host.set_cache_dir((tmp.path() / "elsewhere").string());
  write_text(data / "temp" / "video" / "x.mp4", "X");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(read_text(tmp.path() / "elsewhere" / "video" / "x.mp4"), "X");
}

TEST_F(StorageFileMediaMigration, NothingToMoveLeavesNoTrace) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_FALSE(std::filesystem::exists(data / "cache"));
  EXPECT_FALSE(host.logged("media"));
}

}  // namespace
}  // namespace g2a::test
