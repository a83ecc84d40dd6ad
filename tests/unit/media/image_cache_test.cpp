// The local image cache: names that cannot leave the directory, content types from the
// bytes, eviction of the oldest files beyond the size limit, and the copy shared through
// the store for other instances.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <thread>

#include "core/media/image_cache.hpp"
#include "core/media/imagine.hpp"
#include "support/temp_dir.hpp"
#include "unit/tokens/store_env.hpp"

namespace fs = std::filesystem;
using g2a::media::ImageCache;

namespace {

class ImageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("g2a-image-cache-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string jpeg(char fill, size_t size) {
    std::string b = "\xFF\xD8\xFF\xE0";
    b.resize(size, fill);
    return b;
  }
  fs::path dir_;
};

TEST(ImageCacheNames, OnlyPlainNamesWithAnImageExtension) {
  EXPECT_TRUE(ImageCache::valid_name("0123abcdef.jpg"));
  EXPECT_TRUE(ImageCache::valid_name("a_b-c.webp"));
  for (const char* bad : {"", "../x.jpg", "a/b.jpg", "a\\b.jpg", "..jpg", ".hidden.png", "x..png",
                          "x.txt", "x", "%2e%2e.jpg", "a b.jpg", "/etc/passwd"})
    EXPECT_FALSE(ImageCache::valid_name(bad)) << bad;
}

TEST(ImageCacheNames, ExtensionFromMagicThenContentType) {
  EXPECT_EQ(ImageCache::extension_for("\x89PNG\r\n\x1a\nrest", "image/jpeg"), "png");
  EXPECT_EQ(ImageCache::extension_for("\xFF\xD8\xFFrest", ""), "jpg");
  EXPECT_EQ(ImageCache::extension_for("GIF89a...", ""), "gif");
  EXPECT_EQ(ImageCache::extension_for("RIFF1234WEBPVP8 ", ""), "webp");
  EXPECT_EQ(ImageCache::extension_for("????", "image/webp"), "webp");
  EXPECT_EQ(ImageCache::extension_for("????", ""), "jpg");
  EXPECT_EQ(ImageCache::content_type_for("a.png"), "image/png");
  EXPECT_EQ(ImageCache::content_type_for("a.jpg"), "image/jpeg");
}

TEST_F(ImageCacheTest, StoresAndReadsBackByContentHash) {
  ImageCache cache(dir_.string());
  std::string bytes = jpeg('a', 100);
  auto name = cache.put_blocking(bytes, "", 1 << 20);
  EXPECT_TRUE(ImageCache::valid_name(name));
  EXPECT_EQ(name, cache.put_blocking(bytes, "", 1 << 20));  // same bytes, same name
  auto got = cache.get_blocking(name);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->bytes, bytes);
  EXPECT_EQ(got->content_type, "image/jpeg");
  EXPECT_FALSE(cache.get_blocking("00000000000000000000000000000000.jpg"));
  EXPECT_FALSE(cache.get_blocking("../" + name));
}

TEST_F(ImageCacheTest, EvictsTheOldestBeyondTheLimit) {
  ImageCache cache(dir_.string());
  std::vector<std::string> names;
  for (char c : {'a', 'b', 'c', 'd'}) {
    names.push_back(cache.put_blocking(jpeg(c, 1000), "", 2500));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // distinct mtimes
  }
  EXPECT_FALSE(cache.get_blocking(names[0]));
  EXPECT_FALSE(cache.get_blocking(names[1]));
  EXPECT_TRUE(cache.get_blocking(names[2]));
  EXPECT_TRUE(cache.get_blocking(names[3]));
  uint64_t total = 0;
  for (const auto& e : fs::directory_iterator(dir_)) total += e.file_size();
  EXPECT_LE(total, 2500u);
}

TEST_F(ImageCacheTest, TheNewestImageStaysEvenWhenAloneOverTheLimit) {
  ImageCache cache(dir_.string());
  auto name = cache.put_blocking(jpeg('z', 5000), "", 1000);
  EXPECT_TRUE(cache.get_blocking(name));
}

// Local eviction leaves the shared copy: another instance (or this one) still serves the
// link from the store.
TEST_F(ImageCacheTest, EvictionHereKeepsTheCopySharedThroughTheStore) {
  g2a::test::TempDir data, other_dir;
  boost::asio::io_context io;
  g2a::runtime::BlockingPool blocking{1};
  g2a::tokens::test::StoreEnv env(G2A_PLUGIN_DIR, data.path(), io.get_executor(), blocking);
  ImageCache cache(dir_.string());
  cache.share_through(&env.store());
  const std::string first_bytes = jpeg('a', 1000);
  auto first = cache.put_blocking(first_bytes, "", 1500);
  ASSERT_TRUE(env.store().get("images", first));
  // Older than the next one, so that it is the one evicted.
  fs::last_write_time(dir_ / first, fs::file_time_type::clock::now() - std::chrono::hours(1));
  auto second = cache.put_blocking(jpeg('b', 1000), "", 1500);
  EXPECT_FALSE(fs::exists(dir_ / first)) << "evicted here";
  EXPECT_TRUE(fs::exists(dir_ / second));
  EXPECT_TRUE(env.store().get("images", first)) << "the shared copy went with the local file";

  ImageCache other(other_dir.str());
  other.share_through(&env.store());
  auto got = other.get_blocking(first);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->bytes, first_bytes);
  got = cache.get_blocking(first);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->bytes, first_bytes);
}

TEST(ImagineAspectRatio, SizesMapToTheNearestSupportedRatio) {
  using g2a::media::aspect_ratio_for_size;
  EXPECT_EQ(aspect_ratio_for_size(""), "1:1");
  EXPECT_EQ(aspect_ratio_for_size("auto"), "1:1");
  EXPECT_EQ(aspect_ratio_for_size("1024x1024"), "1:1");
  EXPECT_EQ(aspect_ratio_for_size("256x256"), "1:1");
  EXPECT_EQ(aspect_ratio_for_size("1792x1024"), "16:9");
  EXPECT_EQ(aspect_ratio_for_size("1024x1792"), "9:16");
  EXPECT_EQ(aspect_ratio_for_size("1536x1024"), "3:2");
  EXPECT_EQ(aspect_ratio_for_size("1024x1536"), "2:3");
  EXPECT_EQ(aspect_ratio_for_size("1x"), "");
  EXPECT_EQ(aspect_ratio_for_size("axb"), "");
  EXPECT_EQ(aspect_ratio_for_size("0x10"), "");
}

}  // namespace
