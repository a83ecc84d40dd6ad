// The stored token object (Pro fields first, ours after, unknown members kept) and the
// Pro admin views: status labels, TokenInfo, /api/stats, /api/stats/remaining.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/tokens/pro_view.hpp"
#include "pool_helpers.hpp"

namespace g2a::tokens {
namespace {
namespace json = boost::json;

const char* kProToken = R"({
  "createdTime": 1737500100000, "remainingQueries": -1, "heavyremainingQueries": -1,
  "videoRemaining": -1, "videoLimit": -1, "status": "expired", "failedCount": 3,
  "zeroCount": 0, "lastFailureTime": 1737600000000, "lastFailureReason": "401: Token失效",
  "tags": ["team-a", "主力"], "note": "主账号", "customField": {"source": "import", "weight": 1.5}})";

TEST(TokenRecordJson, ProFieldsReadAndWrittenInTheProOrder) {
  auto r = record_from_json(json::parse(kProToken).as_object());
  EXPECT_EQ(r.created_time, 1737500100000);
  EXPECT_EQ(r.status, "expired");
  EXPECT_EQ(r.failed_count, 3);
  EXPECT_EQ(r.last_failure_reason, "401: Token失效");
  EXPECT_EQ(r.tags, (std::vector<std::string>{"team-a", "主力"}));
  EXPECT_FALSE(r.detected_tier);
  auto o = to_json(r, Pool::kNormal);
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  std::vector<std::string> expected = {"createdTime",
                                       "remainingQueries",
                                       "heavyremainingQueries",
                                       "videoRemaining",
                                       "videoLimit",
                                       "status",
                                       "failedCount",
                                       "zeroCount",
                                       "lastFailureTime",
                                       "lastFailureReason",
                                       "tags",
                                       "note",
                                       "customField",
                                       "tier",
                                       "tier_source",
                                       "quotas",
                                       "cooldown_until_ms",
                                       "disabled_reason",
                                       "prepared_at_ms"};
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(o["customField"].at("weight").as_double(), 1.5);
  EXPECT_EQ(o["tier"], "basic");  // the hint of ssoNormal
  EXPECT_EQ(o["tier_source"], "pool");
  // Round trip.
  auto again = record_from_json(o);
  EXPECT_EQ(json::serialize(to_json(again, Pool::kNormal)), json::serialize(o));
}

TEST(TokenRecordJson, OurFieldsRoundTrip) {
  TokenRecord r = fresh_record(5);
  r.detected_tier = Tier::kHeavy;
  r.quotas["fast"] = QuotaEntry{12, 400, 7200, 99, 0, true};
  r.quotas["video"] = QuotaEntry{0, 0, 0, 99, 0, false};
  r.cooldown_until_ms = 77;
  r.disabled_reason = "blocked";
  r.prepared_at_ms = 8;
  auto back = record_from_json(to_json(r, Pool::kSuper));
  EXPECT_EQ(back.detected_tier, Tier::kHeavy);
  EXPECT_EQ(back.quotas.at("fast").remaining, 12);
  EXPECT_EQ(back.quotas.at("fast").total, 400);
  EXPECT_FALSE(back.quotas.at("video").available);
  EXPECT_EQ(back.cooldown_until_ms, 77);
  EXPECT_EQ(back.disabled_reason, "blocked");
  EXPECT_EQ(back.prepared_at_ms, 8);
}

TEST(TokenRecordJson, KeysAndPools) {
  EXPECT_EQ(make_key(Pool::kHeavy, "abc"), "ssoHeavy/abc");
  auto k = split_key("ssoSuper/a/b");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->first, Pool::kSuper);
  EXPECT_EQ(k->second, "a/b");
  EXPECT_FALSE(split_key("sso/abc"));
  EXPECT_FALSE(split_key("other/abc"));
  EXPECT_FALSE(split_key("ssoNormal/"));
  EXPECT_EQ(pool_from_name("sso"), Pool::kNormal);
  EXPECT_EQ(pro_token_type(Pool::kNormal), "sso");
  EXPECT_EQ(pro_token_type(Pool::kSuper), "ssoSuper");
  EXPECT_FALSE(pool_from_name("ssoMega"));
}

TEST(ProView, StatusLabels) {
  TokenRecord r;
  EXPECT_EQ(status_label(r, Pool::kNormal, 0), kLabelUnused);
  r.status = "expired";
  EXPECT_EQ(status_label(r, Pool::kNormal, 0), kLabelExpired);
  r.remaining_queries = 5;
  EXPECT_EQ(status_label(r, Pool::kNormal, 0), kLabelActive);  // Pro: still 正常
  r.status = "active";
  r.remaining_queries = 0;
  EXPECT_EQ(status_label(r, Pool::kNormal, 0), kLabelLimited);
  r.heavy_remaining_queries = 3;
  EXPECT_EQ(status_label(r, Pool::kNormal, 0), kLabelLimited);
  EXPECT_EQ(status_label(r, Pool::kSuper, 0), kLabelActive);  // max(normal, heavy)
  r.remaining_queries = 9;
  r.cooldown_until_ms = 10;
  EXPECT_EQ(status_label(r, Pool::kNormal, 5), kLabelLimited);
  r.disabled_reason = "blocked";
  EXPECT_EQ(status_label(r, Pool::kNormal, 50), kLabelExpired);
}

TEST(ProView, TokenInfoStatsAndRemaining) {
  test::FakeClock clock;
  TokenPool pool(nullptr, clock.fn());
  pool.add({"n-unused", "n-active", "n-expired"}, Pool::kNormal);
  pool.add({"s-limited"}, Pool::kSuper);
  pool.apply_quota("n-active", test::reading("fast", 20, 30, 86400));
  for (int i = 0; i < 3; ++i)
    pool.report("n-expired", test::failed(upstream::grok::Problem::kUnauthenticated, 401, "fast"));
  pool.apply_quota("s-limited", test::reading("fast", 0, 140));
  QuotaReading video;
  video.key = "video720p";
  video.remaining = 2;
  pool.apply_quota("n-active", video);
  pool.set_tags("n-active", {"b", "a", "b", " "});
  auto views = pool.snapshot();

  auto info = token_info(*pool.find("n-active"), clock.ms());
  EXPECT_EQ(info["token"], "n-active");
  EXPECT_EQ(info["token_type"], "sso");
  EXPECT_EQ(info["remaining_queries"], 20);
  EXPECT_EQ(info["video_remaining"], 2);
  EXPECT_EQ(info["status"], kLabelActive);
  EXPECT_EQ(info["tier"], "basic");
  EXPECT_EQ(info["tags"], (json::array{"b", "a"}));

  auto stats = pool_stats(views, clock.ms());
  EXPECT_EQ(stats["normal"].at("total"), 3);
  EXPECT_EQ(stats["normal"].at("unused"), 1);
  EXPECT_EQ(stats["normal"].at("active"), 1);
  EXPECT_EQ(stats["normal"].at("expired"), 1);
  EXPECT_EQ(stats["super"].at("limited"), 1);
  EXPECT_EQ(stats["heavy"].at("total"), 0);
  EXPECT_EQ(stats["total"], 4);
  EXPECT_EQ(stats["video"].at("total_remaining"), 2);
  EXPECT_EQ(stats["video"].at("tokens_with_video"), 1);

  auto rem = remaining_stats(views, 80);
  EXPECT_EQ(rem["chat_total_remaining"], 80 + 20 + 0 + 0);  // unused counts as assumed
  EXPECT_EQ(rem["image_total_remaining"], 50);
  EXPECT_EQ(rem["assumed_chat_quota_per_token"], 80);
  EXPECT_EQ(pool.all_tags(), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace g2a::tokens
