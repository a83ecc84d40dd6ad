#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "base64.hpp"

namespace g2a::test {
namespace {

using g2a::statsig::base64_decode;
using g2a::statsig::base64_encode;
using g2a::statsig::Bytes;

std::string enc(std::string_view s, bool pad) {
  return base64_encode(reinterpret_cast<const uint8_t*>(s.data()), s.size(), pad);
}
std::string dec(std::string_view s) {
  auto b = base64_decode(s);
  return b ? std::string(b->begin(), b->end()) : "<invalid>";
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, padded] : cases) {
    EXPECT_EQ(enc(plain, true), padded);
    std::string unpadded = padded.substr(0, padded.find('='));
    EXPECT_EQ(enc(plain, false), unpadded);
    EXPECT_EQ(dec(padded), plain);
    EXPECT_EQ(dec(unpadded), plain);
  }
}

TEST(Base64, UsesTheStandardAlphabet) {
  EXPECT_EQ(enc("\xfb\xff\xbf", false), "+/+/");
  EXPECT_EQ(dec("+/+/"), "\xfb\xff\xbf");
  EXPECT_EQ(dec("-_-_"), "<invalid>");  // URL-safe letters are not standard
}

TEST(Base64, RejectsMalformedInput) {
  EXPECT_FALSE(base64_decode("Zg="));      // padding that does not complete the quantum
  EXPECT_FALSE(base64_decode("Z"));        // one character cannot hold a byte
  EXPECT_FALSE(base64_decode("Zm9v!"));    // outside the alphabet
  EXPECT_FALSE(base64_decode("Zm=9v"));    // padding inside
  EXPECT_FALSE(base64_decode("Zg==="));    // too much padding
  EXPECT_FALSE(base64_decode("Zm9v Zg"));  // spaces are not skipped
}

RC_GTEST_PROP(Base64Property, RoundTripsWithAndWithoutPadding, (const std::vector<uint8_t>& data)) {
  Bytes bytes(data.begin(), data.end());
  std::string padded = base64_encode(bytes, true);
  std::string unpadded = base64_encode(bytes, false);
  RC_ASSERT(padded.size() % 4 == 0);
  RC_ASSERT(unpadded.find('=') == std::string::npos);
  RC_ASSERT(padded.substr(0, unpadded.size()) == unpadded);
  RC_ASSERT(base64_decode(padded) == std::optional<Bytes>(bytes));
  RC_ASSERT(base64_decode(unpadded) == std::optional<Bytes>(bytes));
}

}  // namespace
}  // namespace g2a::test
