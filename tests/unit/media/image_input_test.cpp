// Image fields of clients: data URLs, raw base64 and URLs.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/beast/core/detail/base64.hpp>

#include "core/media/image_input.hpp"

namespace {
using g2a::media::decode_base64_strict;
using g2a::media::ImageInputError;
using g2a::media::read_image_ref;
using g2a::media::sniff_image_type;

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

std::string b64(std::string_view in) {
  namespace b = boost::beast::detail::base64;
  std::string out(b::encoded_size(in.size()), '\0');
  out.resize(b::encode(out.data(), in.data(), in.size()));
  return out;
}

TEST(ImageInput, DataUrlAndRawBase64AreDecoded) {
  auto ref = read_image_ref("data:image/png;base64," + b64(kPng), 1 << 20);
  EXPECT_TRUE(ref.url.empty());
  EXPECT_EQ(ref.image.bytes, kPng);
  EXPECT_EQ(ref.image.mime, "image/png");
  auto raw = read_image_ref(b64("\xff\xd8\xff\xe0 jpeg"), 1 << 20);
  EXPECT_EQ(raw.image.mime, "image/jpeg");
}

TEST(ImageInput, HttpUrlsAreLeftToFetch) {
  EXPECT_EQ(read_image_ref("https://example.com/a.png", 10).url, "https://example.com/a.png");
  EXPECT_EQ(read_image_ref("HTTP://example.com/a.png", 10).url, "HTTP://example.com/a.png");
}

TEST(ImageInput, BadInputIsRefusedWithAReason) {
  EXPECT_THROW(read_image_ref("file:///etc/passwd", 1 << 20), ImageInputError);
  EXPECT_THROW(read_image_ref("ftp://example.com/a.png", 1 << 20), ImageInputError);
  EXPECT_THROW(read_image_ref("data:text/plain;base64,aGVsbG8=", 1 << 20), ImageInputError);
  EXPECT_THROW(read_image_ref("data:image/png,rawbytes", 1 << 20), ImageInputError);
  EXPECT_THROW(read_image_ref("not base64 at all!", 1 << 20), ImageInputError);
  EXPECT_THROW(read_image_ref(b64("plain text, not an image"), 1 << 20), ImageInputError);
  EXPECT_THROW(read_image_ref("data:image/png;base64," + b64(kPng + std::string(100, 'x')), 64),
               ImageInputError);
}

TEST(ImageInput, SniffsTheFourFormats) {
  EXPECT_EQ(sniff_image_type(kPng), "image/png");
  EXPECT_EQ(sniff_image_type("GIF89a...."), "image/gif");
  EXPECT_EQ(sniff_image_type("RIFF\0\0\0\0WEBPVP8 "), "");  // embedded NUL: too short
  EXPECT_EQ(sniff_image_type(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(sniff_image_type("<svg/>"), "");
}

RC_GTEST_PROP(ImageInputProperty, Base64RoundTrips, (std::string bytes)) {
  std::string out;
  RC_ASSERT(decode_base64_strict(b64(bytes), out));
  RC_ASSERT(out == bytes);
}

RC_GTEST_PROP(ImageInputProperty, ForeignCharactersAreRefused, (std::string bytes, char c)) {
  RC_PRE(!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=');
  std::string text = b64(bytes);
  text.insert(text.size() / 2, 1, c);
  std::string out;
  RC_ASSERT(!decode_base64_strict(text, out));
}

}  // namespace
