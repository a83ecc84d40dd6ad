// Call logs: order (equal timestamps in arrival order), paging, every filter alone and
// combined, stats, models, trim and timeseries: the storage-file semantics on every backend.
#include <fmt/format.h>

#include "conformance_fixture.hpp"
#include "support/call_log_model.hpp"

namespace g2a::test {
namespace {

std::string record(const std::string& id, int64_t ts, const std::string& sso_full,
                   const std::string& model, bool success, const std::string& sso = "",
                   const std::string& extra = "") {
  return log_record(id, ts, sso_full, model, success, sso, extra);
}

using Ids = std::vector<std::string>;

void add_sample(StorageClient& store) {
  ASSERT_EQ(store.append(sample_records()), G2A_OK);
}

TEST_P(StorageConformance, QueryIsNewestFirstWithOffsetLimitAndTotal) {
  add_sample(*store);
  QueryResult all = store->query({});
  EXPECT_EQ(all.total, 6u);
  EXPECT_EQ(ids(all), (Ids{"r6", "r5", "r4", "r3", "r2", "r1"}));
  QueryResult page = store->query({}, 2, 3);
  EXPECT_EQ(page.total, 6u);
  EXPECT_EQ(ids(page), (Ids{"r4", "r3", "r2"}));
  QueryResult past_end = store->query({}, 10, 3);
  EXPECT_EQ(past_end.total, 6u);
  EXPECT_TRUE(past_end.rows.empty());
  EXPECT_TRUE(store->query({}, 0, 0).rows.empty());
  EXPECT_EQ(store->query({}, 0, 0).total, 6u);
  // Records come back byte for byte as given.
  EXPECT_EQ(all.rows.back().second, record("r1", 1000, "AbcToken1", "grok-4-fast", true));
}

TEST_P(StorageConformance, EqualTimestampsComeNewestArrivedFirst) {
  ASSERT_EQ(store->append({record("a", 5000, "s", "m", true), record("b", 5000, "s", "m", true)}),
            G2A_OK);
  ASSERT_EQ(store->append({record("c", 5000, "s", "m", false)}), G2A_OK);
  // Out of order: an older call that finished late goes among its own millisecond.
  ASSERT_EQ(store->append({record("old", 4000, "s", "m", true), record("d", 5000, "s", "m", true),
                           record("new", 6000, "s", "m", true)}),
            G2A_OK);
  ASSERT_EQ(store->append({record("old2", 4000, "s", "m", true)}), G2A_OK);
  Ids want = {"new", "d", "c", "b", "a", "old2", "old"};
  EXPECT_EQ(ids(store->query({})), want);
  EXPECT_EQ(ids(store->query({}, 1, 3)), (Ids{"d", "c", "b"}));
  LogQuery failed;
  failed.success = 0;
  EXPECT_EQ(ids(store->query(failed)), Ids{"c"});
  reopen();
  EXPECT_EQ(ids(store->query({})), want);
  // Trimming drops the oldest in the same order.
  EXPECT_EQ(store->trim(4), 3u);
  EXPECT_EQ(ids(store->query({})), (Ids{"new", "d", "c", "b"}));
}

TEST_P(StorageConformance, EveryFilterAloneAndCombined) {
  add_sample(*store);
  LogQuery by_sso;
  by_sso.sso = "ABCTOKEN";  // case-insensitive substring of sso_full
  EXPECT_EQ(ids(store->query(by_sso)), (Ids{"r6", "r4", "r2", "r1"}));
  by_sso.sso = "xyzshort";  // falls back to "sso" when sso_full is empty
  EXPECT_EQ(ids(store->query(by_sso)), Ids{"r3"});
  by_sso.sso = "****";  // no wildcard meaning
  EXPECT_EQ(ids(store->query(by_sso)), Ids{"r3"});
  by_sso.sso = "Token1";
  EXPECT_EQ(store->query(by_sso).total, 3u);

  LogQuery by_model;
  by_model.model = "4-FAST";
  EXPECT_EQ(ids(store->query(by_model)), (Ids{"r6", "r4", "r1"}));
  by_model.model = "0.9";
  EXPECT_EQ(ids(store->query(by_model)), Ids{"r3"});

  LogQuery failed;
  failed.success = 0;
  EXPECT_EQ(ids(store->query(failed)), (Ids{"r4", "r2"}));
  LogQuery succeeded;
  succeeded.success = 1;
  EXPECT_EQ(ids(store->query(succeeded)), (Ids{"r6", "r5", "r3", "r1"}));

  LogQuery window;  // inclusive at both ends
  window.start_ms = 2000;
  window.end_ms = 4000;
  EXPECT_EQ(ids(store->query(window)), (Ids{"r4", "r3", "r2"}));
  window.end_ms = 0;
  EXPECT_EQ(store->query(window).total, 5u);
  window.start_ms = 0;
  window.end_ms = 1000;
  EXPECT_EQ(ids(store->query(window)), Ids{"r1"});
  window.start_ms = 7000;
  window.end_ms = 0;
  EXPECT_EQ(store->query(window).total, 0u);
  LogQuery inverted;
  inverted.start_ms = 5000;
  inverted.end_ms = 1000;
  EXPECT_EQ(store->query(inverted).total, 0u);

  LogQuery combined;
  combined.sso = "abctoken1";
  combined.model = "fast";
  combined.success = 1;
  combined.start_ms = 1001;
  QueryResult r = store->query(combined, 0, 10);
  EXPECT_EQ(ids(r), Ids{"r6"});
  EXPECT_EQ(r.total, 1u);
  combined.success = 0;
  combined.end_ms = 4000;
  EXPECT_EQ(ids(store->query(combined)), Ids{"r4"});
  // Paging applies after filtering.
  EXPECT_EQ(ids(store->query(by_model, 0, 1)), Ids{"r3"});
  by_model.model = "4-fast";
  EXPECT_EQ(ids(store->query(by_model, 1, 1)), Ids{"r4"});
  EXPECT_EQ(store->query(by_model, 1, 1).total, 3u);
}

TEST_P(StorageConformance, SubstringFiltersAreLiteralAndFoldOnlyAscii) {
  ASSERT_EQ(
      store->append({record("p", 1, "a%b_c", "m%1", true), record("q", 2, "axbyc", "mx1", true),
                     record("u", 3, "ÉCOLE-token", "modèle", true),
                     record("w", 4, "école-token", "MODÈLE", false),
                     record("bs", 5, "back\\\\slash", "m", true)}),
      G2A_OK);
  LogQuery f;
  f.sso = "a%b";
  EXPECT_EQ(ids(store->query(f)), Ids{"p"});
  f.sso = "_c";
  EXPECT_EQ(ids(store->query(f)), Ids{"p"});
  f.sso = "\\";
  EXPECT_EQ(ids(store->query(f)), Ids{"bs"});
  f.sso = "";
  f.model = "%";
  EXPECT_EQ(ids(store->query(f)), Ids{"p"});
  // Case folding is ASCII only, like storage-file: "É" and "é" are different letters.
  f.model = "";
  f.sso = "école";
  EXPECT_EQ(ids(store->query(f)), Ids{"w"});
  f.sso = "COLE-TOKEN";
  EXPECT_EQ(ids(store->query(f)), (Ids{"w", "u"}));
  f.sso = "ecole";
  EXPECT_EQ(store->query(f).total, 0u);
  f.sso = "";
  f.model = "modèle";
  EXPECT_EQ(ids(store->query(f)), Ids{"u"});
  f.model = "MOD";
  EXPECT_EQ(store->query(f).total, 2u);
}

TEST_P(StorageConformance, SuccessIsOnlyTheJsonTrue) {
  ASSERT_EQ(store->append({R"({"id":"t","timestamp":1,"sso":"s","model":"m","success":true})",
                           R"({"id":"s1","timestamp":2,"sso":"s","model":"m","success":"true"})",
                           R"({"id":"n1","timestamp":3,"sso":"s","model":"m","success":1})",
                           R"({"id":"x","timestamp":4,"sso":"s","model":"m"})",
                           R"({"id":"f","timestamp":5,"sso":"s","model":"m","success":false})"}),
            G2A_OK);
  LogQuery ok;
  ok.success = 1;
  EXPECT_EQ(ids(store->query(ok)), Ids{"t"});
  ok.success = 0;
  EXPECT_EQ(ids(store->query(ok)), (Ids{"f", "x", "n1", "s1"}));
  g2a_log_stats st = store->stats({}, 0);
  EXPECT_EQ(st.success, 1u);
  EXPECT_EQ(st.failed, 4u);
}

TEST_P(StorageConformance, RecordsWithoutANumericTimestampAreRefused) {
  std::string error;
  EXPECT_NE(store->append({R"({"id":"a","timestamp":"soon","model":"m"})"}, &error), G2A_OK);
  EXPECT_NE(store->append({"not json"}, &error), G2A_OK);
  EXPECT_NE(store->append({"[1,2]"}, &error), G2A_OK);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(store->query({}).total, 0u);
  EXPECT_EQ(store->append({}), G2A_OK);
}

TEST_P(StorageConformance, StatsCountWithinTheFilter) {
  add_sample(*store);
  g2a_log_stats all = store->stats({}, 4000);
  EXPECT_EQ(all.total, 6u);
  EXPECT_EQ(all.success, 4u);
  EXPECT_EQ(all.failed, 2u);
  EXPECT_EQ(all.today_total, 3u);  // timestamps >= 4000
  LogQuery by_sso;
  by_sso.sso = "abctoken1";
  g2a_log_stats some = store->stats(by_sso, 0);
  EXPECT_EQ(some.total, 3u);
  EXPECT_EQ(some.success, 2u);
  EXPECT_EQ(some.failed, 1u);
  EXPECT_EQ(some.today_total, 3u);
  LogQuery window;
  window.start_ms = 2000;
  window.end_ms = 5000;
  window.success = 1;
  g2a_log_stats w = store->stats(window, 4500);
  EXPECT_EQ(w.total, 2u);  // r3, r5
  EXPECT_EQ(w.success, 2u);
  EXPECT_EQ(w.failed, 0u);
  EXPECT_EQ(w.today_total, 1u);
  g2a_log_stats none = store->stats({}, 7000);
  EXPECT_EQ(none.today_total, 0u);
}

TEST_P(StorageConformance, ModelsAreDistinctSortedAndRightAfterTrims) {
  EXPECT_TRUE(store->models().empty());
  add_sample(*store);
  ASSERT_EQ(store->append({record("r0", 500, "x", "", true)}), G2A_OK);  // no model: not listed
  EXPECT_EQ(store->models(), (std::vector<std::string>{"Grok-4-Fast", "grok-3", "grok-4-fast",
                                                       "grok-4-heavy", "grok-imagine-0.9"}));
  EXPECT_EQ(store->trim(2), 5u);  // keeps r5, r6
  EXPECT_EQ(store->models(), (std::vector<std::string>{"grok-3", "grok-4-fast"}));
  reopen();
  EXPECT_EQ(store->models(), (std::vector<std::string>{"grok-3", "grok-4-fast"}));
  EXPECT_EQ(store->trim(0), 2u);
  EXPECT_TRUE(store->models().empty());
}

TEST_P(StorageConformance, TrimKeepsTheNewest) {
  add_sample(*store);
  EXPECT_EQ(store->trim(10), 0u);
  EXPECT_EQ(store->trim(6), 0u);
  EXPECT_EQ(store->trim(4), 2u);
  EXPECT_EQ(ids(store->query({})), (Ids{"r6", "r5", "r4", "r3"}));
  ASSERT_EQ(store->append({record("r7", 7000, "x", "m", true)}), G2A_OK);
  reopen();
  EXPECT_EQ(ids(store->query({})), (Ids{"r7", "r6", "r5", "r4", "r3"}));
  EXPECT_EQ(store->stats({}, 0).total, 5u);
  EXPECT_EQ(store->trim(0), 5u);
  EXPECT_EQ(store->query({}).total, 0u);
  EXPECT_EQ(store->stats({}, 0).total, 0u);
  EXPECT_TRUE(store->timeseries({}, 1000).empty());
  ASSERT_EQ(store->append({record("r8", 8000, "x", "m", true)}), G2A_OK);
  EXPECT_EQ(ids(store->query({})), Ids{"r8"});
}

TEST_P(StorageConformance, TimeseriesBucketsFollowTheUtcOffset) {
  const int64_t hour = 3600 * 1000;
  auto rt = [](double s) { return fmt::format(R"(,"response_time":{})", s); };
  ASSERT_EQ(store->append({record("a", 10 * hour + 1, "s", "m", true, "", rt(1.0)),
                           record("b", 10 * hour + 2, "s", "m", false, "", rt(3.0)),
                           record("c", 10 * hour + 3, "s", "m", true, "", rt(2.0)),
                           record("d", 11 * hour, "s", "m", true, "", rt(4.0)),
                           record("e", 11 * hour + 5, "s", "m", false, "", rt(1.5)),
                           record("f", 11 * hour + 9, "s", "m", true),  // no latency
                           record("g", 13 * hour + 30 * 60 * 1000, "s", "other", true, "",
                                  R"(,"response_time":"fast")")}),
            G2A_OK);
  auto series = store->timeseries({}, hour);
  ASSERT_EQ(series.size(), 3u);  // empty buckets are left out
  EXPECT_EQ(series[0].start_ms, 10 * hour);
  EXPECT_EQ(series[0].calls, 3u);
  EXPECT_EQ(series[0].failures, 1u);
  EXPECT_DOUBLE_EQ(series[0].median_latency, 2.0);
  EXPECT_EQ(series[1].start_ms, 11 * hour);
  EXPECT_EQ(series[1].calls, 3u);
  EXPECT_EQ(series[1].failures, 1u);
  EXPECT_DOUBLE_EQ(series[1].median_latency, 2.75);  // of 4.0 and 1.5: the mean of the two
  EXPECT_EQ(series[2].start_ms, 13 * hour);
  EXPECT_DOUBLE_EQ(series[2].median_latency, 0.0);  // none numeric

  // Half-hour offset: buckets start at hh:30 UTC.
  auto shifted = store->timeseries({}, hour, 30 * 60 * 1000);
  ASSERT_EQ(shifted.size(), 3u);
  EXPECT_EQ(shifted[0].start_ms, 9 * hour + 30 * 60 * 1000);
  EXPECT_EQ(shifted[0].calls, 3u);
  EXPECT_EQ(shifted[1].start_ms, 10 * hour + 30 * 60 * 1000);
  EXPECT_EQ(shifted[1].calls, 3u);
  EXPECT_EQ(shifted[2].start_ms, 13 * hour + 30 * 60 * 1000);
  // A negative offset and a day bucket.
  auto days = store->timeseries({}, 24 * hour, -11 * hour);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].start_ms, -13 * hour);  // local midnight at 11:00 UTC
  EXPECT_EQ(days[0].calls, 3u);
  EXPECT_EQ(days[1].start_ms, 11 * hour);
  EXPECT_EQ(days[1].calls, 4u);
  EXPECT_DOUBLE_EQ(days[1].median_latency, 2.75);
  // Filters apply.
  LogQuery only_other;
  only_other.model = "OTHER";
  auto other = store->timeseries(only_other, hour);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].calls, 1u);
  LogQuery failed;
  failed.success = 0;
  failed.start_ms = 10 * hour + 2;
  failed.end_ms = 11 * hour + 5;
  auto f = store->timeseries(failed, hour);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].calls, 1u);
  EXPECT_DOUBLE_EQ(f[0].median_latency, 3.0);
  EXPECT_EQ(f[1].calls, 1u);
  EXPECT_DOUBLE_EQ(f[1].median_latency, 1.5);
}

}  // namespace
}  // namespace g2a::test
