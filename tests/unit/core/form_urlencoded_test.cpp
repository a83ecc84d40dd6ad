// application/x-www-form-urlencoded bodies (the Video API) and query strings.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/http/form_urlencoded.hpp"
#include "core/http/message.hpp"

namespace {
using g2a::http::find_field;
using g2a::http::parse_form_urlencoded;

TEST(FormUrlencoded, PairsInOrderDecoded) {
  auto f = parse_form_urlencoded("prompt=a+cat%21&seconds=8&input_reference%5Bimage_url%5D=x%26y");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].first, "prompt");
  EXPECT_EQ(f[0].second, "a cat!");
  EXPECT_EQ(f[1].second, "8");
  EXPECT_EQ(f[2].first, "input_reference[image_url]");
  EXPECT_EQ(f[2].second, "x&y");
}

TEST(FormUrlencoded, EmptyPiecesNamesWithoutValuesAndBadEscapes) {
  auto f = parse_form_urlencoded("&&a&b=&=c&d=%zz%4&e=1=2");
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0], std::make_pair(std::string("a"), std::string()));
  EXPECT_EQ(f[1], std::make_pair(std::string("b"), std::string()));
  EXPECT_EQ(f[2], std::make_pair(std::string(), std::string("c")));
  EXPECT_EQ(f[3].second, "%zz%4");  // malformed escapes stay as they are
  EXPECT_EQ(f[4].second, "1=2");
}

TEST(FormUrlencoded, TheFirstValueOfANameWins) {
  auto f = parse_form_urlencoded("a=1&a=2");
  ASSERT_NE(find_field(f, "a"), nullptr);
  EXPECT_EQ(*find_field(f, "a"), "1");
  EXPECT_EQ(find_field(f, "b"), nullptr);
}

TEST(FormUrlencoded, QueryParamsUseTheSameRules) {
  g2a::http::Request r;
  r.query = "after=video_1&limit=5&q=a+b&flag";
  EXPECT_EQ(r.query_param("after"), "video_1");
  EXPECT_EQ(r.query_param("q"), "a b");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("order"), std::nullopt);
}

// Encoding any pairs with every byte percent-escaped reads back the same pairs.
RC_GTEST_PROP(FormUrlencodedProperty, EscapedPairsRoundTrip,
              (std::vector<std::pair<std::string, std::string>> pairs)) {
  auto escape = [](const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) out += {'%', kHex[c >> 4], kHex[c & 15]};
    return out;
  };
  std::string body;
  for (const auto& [k, v] : pairs) {
    if (k.empty() && v.empty()) continue;  // "=" alone is a pair of two empty strings
    body += (body.empty() ? "" : "&") + escape(k) + "=" + escape(v);
  }
  auto parsed = parse_form_urlencoded(body);
  size_t i = 0;
  for (const auto& p : pairs) {
    if (p.first.empty() && p.second.empty()) continue;
    RC_ASSERT(i < parsed.size());
    RC_ASSERT(parsed[i] == p);
    ++i;
  }
  RC_ASSERT(i == parsed.size());
}

}  // namespace
