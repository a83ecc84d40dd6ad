// The rate-limits and quota_info answers (spec grok-upstream-current §2.10).
#include <gtest/gtest.h>

#include "core/tokens/quota.hpp"

namespace g2a::tokens {
namespace {

constexpr int64_t kNow = 1'760'000'000'000;

TEST(RateLimits, CurrentShape) {
  auto r = parse_rate_limits(
      "fast",
      R"({"windowSizeSeconds":7200,"remainingQueries":50,"totalQueries":140,"lowEffortRateLimits":null})",
      kNow);
  EXPECT_EQ(r.key, "fast");
  EXPECT_TRUE(r.available);
  EXPECT_EQ(r.remaining, 50);
  EXPECT_EQ(r.total, 140);
  EXPECT_EQ(r.window_s, 7200);
  EXPECT_EQ(r.back_at_ms, 0);
}

TEST(RateLimits, ExhaustedCarriesTheWait) {
  auto r = parse_rate_limits(
      "expert",
      R"({"windowSizeSeconds":7200,"remainingQueries":0,"waitTimeSeconds":2429,"totalQueries":25})",
      kNow);
  EXPECT_EQ(r.remaining, 0);
  EXPECT_EQ(r.back_at_ms, kNow + 2429000);
}

TEST(RateLimits, LegacyTokensAndMissingWindow) {
  auto r = parse_rate_limits("fast", R"({"remainingTokens":78,"totalTokens":80})", kNow);
  EXPECT_EQ(r.remaining, 78);
  EXPECT_EQ(r.total, 80);
  EXPECT_EQ(r.window_s, 7200);
}

TEST(RateLimits, ZeroTotalMeansNotForThisAccount) {
  auto r = parse_rate_limits(
      "heavy", R"({"windowSizeSeconds":7200,"remainingQueries":0,"totalQueries":0})", kNow);
  EXPECT_FALSE(r.available);
}

TEST(RateLimits, OtherShapesAreErrors) {
  EXPECT_THROW(parse_rate_limits("fast", "<html>", kNow), QuotaParseError);
  EXPECT_THROW(parse_rate_limits("fast", R"({"foo":1})", kNow), QuotaParseError);
}

TEST(QuotaInfo, EveryKindPresentNullIsUnavailable) {
  auto rs = parse_quota_info(
      R"({"image":null,"imageEdit":null,
          "imagePro":{"available":true,"remainingQueries":2,"windowSizeSeconds":86400},
          "video":null,
          "video720p":{"available":true,"remainingQueries":0,"windowSizeSeconds":86400,
                       "nextAvailableAt":"2026-08-18T04:47:49.902572219Z"}})",
      kNow);
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_EQ(rs[0].key, "image");
  EXPECT_FALSE(rs[0].available);
  EXPECT_EQ(rs[2].key, "imagePro");
  EXPECT_TRUE(rs[2].available);
  EXPECT_EQ(rs[2].remaining, 2);
  EXPECT_EQ(rs[4].key, "video720p");
  EXPECT_EQ(rs[4].remaining, 0);
  EXPECT_EQ(rs[4].back_at_ms, parse_rfc3339_ms("2026-08-18T04:47:49.902Z"));
}

TEST(QuotaInfo, Rfc3339) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(parse_rfc3339_ms("2026-08-18T04:47:49.902572219Z"), 1787028469902);
  EXPECT_EQ(parse_rfc3339_ms("2026-08-18T04:47:49+02:00"), 0);
  EXPECT_EQ(parse_rfc3339_ms("soon"), 0);
}

}  // namespace
}  // namespace g2a::tokens
