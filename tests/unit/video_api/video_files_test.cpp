// The cache of video files (data/cache/video): names that cannot leave the directory,
// types from the bytes, files that appear whole or not at all, ranged reads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/video/video_files.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using g2a::video::VideoFiles;

namespace {

const std::string kMp4(
    "\0\0\0\x18"
    "ftypmp42rest",
    16);
const std::string kPng("\x89PNG\r\n\x1a\nbody", 12);

TEST(VideoFiles, ValidNames) {
  for (const char* ok : {"video_0123456789abcdef01234567.mp4", "a.thumbnail.jpg", "x-y_z.webm",
                         "r.reference.png", "a.jpeg", "a.webp", "a.gif"})
    EXPECT_TRUE(VideoFiles::valid_name(ok)) << ok;
  for (const char* bad : {"", ".mp4", "../x.mp4", "a/b.mp4", "a..mp4", "a.mp4.part", "a.txt", "a",
                          "a b.mp4", "a\\b.mp4", "%2e%2e.mp4"})
    EXPECT_FALSE(VideoFiles::valid_name(bad)) << bad;
  EXPECT_FALSE(VideoFiles::valid_name(std::string(200, 'a') + ".mp4"));
}

TEST(VideoFiles, ContentTypes) {
  EXPECT_EQ(VideoFiles::content_type_for("a.mp4"), "video/mp4");
  EXPECT_EQ(VideoFiles::content_type_for("a.webm"), "video/webm");
  EXPECT_EQ(VideoFiles::content_type_for("a.thumbnail.jpg"), "image/jpeg");
  EXPECT_EQ(VideoFiles::content_type_for("a.jpeg"), "image/jpeg");
  EXPECT_EQ(VideoFiles::content_type_for("a.png"), "image/png");
  EXPECT_EQ(VideoFiles::content_type_for("a.webp"), "image/webp");
  EXPECT_EQ(VideoFiles::content_type_for("a"), "application/octet-stream");
  EXPECT_EQ(VideoFiles::content_type_for("a.mp4.part"), "application/octet-stream");
}

TEST(VideoFiles, ExtensionsFromMagicThenTypeThenFallback) {
  EXPECT_EQ(VideoFiles::extension_for(kMp4, "image/png", "bin"), "mp4");
  EXPECT_EQ(VideoFiles::extension_for(std::string("\x1a\x45\xdf\xa3....", 8), "", "bin"), "webm");
  EXPECT_EQ(VideoFiles::extension_for(kPng, "image/jpeg", "bin"), "png");
  EXPECT_EQ(VideoFiles::extension_for("\xff\xd8\xff\xe0", "", "bin"), "jpg");
  EXPECT_EQ(VideoFiles::extension_for("RIFF....WEBPVP8 ", "", "bin"), "webp");
  EXPECT_EQ(VideoFiles::extension_for("GIF89a..", "", "bin"), "gif");
  EXPECT_EQ(VideoFiles::extension_for("????", "video/mp4; codecs=avc1", "bin"), "mp4");
  EXPECT_EQ(VideoFiles::extension_for("????", "image/jpeg", "bin"), "jpg");
  EXPECT_EQ(VideoFiles::extension_for("????", "image/webp", "bin"), "webp");
  EXPECT_EQ(VideoFiles::extension_for("????", "text/html", "mp4"), "mp4");
  EXPECT_EQ(VideoFiles::extension_for("", "", "jpg"), "jpg");
}

class VideoFilesDir : public ::testing::Test {
 protected:
  g2a::test::TempDir tmp_;
  VideoFiles files_{(tmp_.path() / "cache" / "video").string()};
  fs::path at(const std::string& name) const { return fs::path(files_.dir()) / name; }
};

TEST_F(VideoFilesDir, AFileAppearsOnlyWhenCommitted) {
  const std::string name = "video_1.mp4";
  files_.begin_blocking(name);  // creates the directory
  files_.append_blocking(name, "abc");
  files_.append_blocking(name, "def");
  EXPECT_FALSE(fs::exists(at(name)));
  EXPECT_EQ(files_.size_blocking(name), std::nullopt);
  EXPECT_TRUE(fs::exists(at(name + ".part")));
  files_.commit_blocking(name);
  EXPECT_FALSE(fs::exists(at(name + ".part")));
  EXPECT_EQ(files_.size_blocking(name), 6u);
  EXPECT_EQ(files_.read_blocking(name, 0, 100), "abcdef");
}

TEST_F(VideoFilesDir, BeginTruncatesALeftoverPart) {
  files_.begin_blocking("v.mp4");
  files_.append_blocking("v.mp4", "old bytes");
  files_.begin_blocking("v.mp4");
  files_.append_blocking("v.mp4", "new");
  files_.commit_blocking("v.mp4");
  EXPECT_EQ(files_.read_blocking("v.mp4", 0, 100), "new");
}

TEST_F(VideoFilesDir, RangedReads) {
  files_.write_blocking("v.mp4", "0123456789");
  EXPECT_EQ(files_.read_blocking("v.mp4", 2, 3), "234");
  EXPECT_EQ(files_.read_blocking("v.mp4", 8, 100), "89");  // fewer at the end
  EXPECT_EQ(files_.read_blocking("v.mp4", 10, 5), "");
  EXPECT_EQ(files_.read_blocking("v.mp4", 1000, 5), "");
  EXPECT_THROW(files_.read_blocking("absent.mp4", 0, 5), std::runtime_error);
  EXPECT_THROW(files_.read_blocking("../v.mp4", 0, 5), std::invalid_argument);
}

TEST_F(VideoFilesDir, InvalidNamesNeverTouchTheDisk) {
  files_.ensure_dir();
  EXPECT_THROW(files_.write_blocking("../escape.mp4", "x"), std::invalid_argument);
  EXPECT_FALSE(fs::exists(tmp_.path() / "cache" / "escape.mp4"));
  EXPECT_EQ(files_.size_blocking("../video"), std::nullopt);
  files_.remove_blocking("../video");  // a no-op, not a removal outside
  EXPECT_TRUE(fs::exists(tmp_.path() / "cache" / "video"));
}

TEST_F(VideoFilesDir, RemoveTakesThePartToo) {
  files_.write_blocking("v.mp4", "x");
  files_.begin_blocking("v.mp4");
  files_.remove_blocking("v.mp4");
  EXPECT_FALSE(fs::exists(at("v.mp4")));
  EXPECT_FALSE(fs::exists(at("v.mp4.part")));
  files_.remove_blocking("v.mp4");  // absent is fine
}

TEST_F(VideoFilesDir, CleanPartialsKeepsCommittedFiles) {
  files_.write_blocking("done.mp4", "x");
  files_.begin_blocking("crashed.mp4");
  files_.begin_blocking("crashed.thumbnail.jpg");
  files_.clean_partials_blocking();
  EXPECT_TRUE(fs::exists(at("done.mp4")));
  EXPECT_FALSE(fs::exists(at("crashed.mp4.part")));
  EXPECT_FALSE(fs::exists(at("crashed.thumbnail.jpg.part")));
  VideoFiles absent((tmp_.path() / "nowhere").string());
  absent.clean_partials_blocking();  // no directory yet: nothing to do
}

}  // namespace
