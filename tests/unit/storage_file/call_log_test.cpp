// Call logs: query/stats/models/trim semantics, persistence and torn-line recovery.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <chrono>

#include "storage_test_fixture.hpp"
#include "support/call_log_model.hpp"

namespace g2a::test {
namespace {

// The conformance suite's records (support/call_log_model).
std::string record(const std::string& id, int64_t ts, const std::string& sso_full,
                   const std::string& model, bool success, const std::string& sso = "") {
  return log_record(id, ts, sso_full, model, success, sso);
}

class StorageFileCallLog : public StorageFileTest {
 protected:
  void add_sample(StorageClient& store) { ASSERT_EQ(store.append(sample_records()), G2A_OK); }
};

// Order, paging, filters, stats and models: tests/unit/storage_conformance (on every backend).

TEST_F(StorageFileCallLog, TrimKeepsTheNewestAndRewritesTheFile) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    add_sample(*store);
    ASSERT_EQ(store->flush(), G2A_OK);
    EXPECT_EQ(store->trim(10), 0u);
    EXPECT_EQ(store->trim(4), 2u);
    EXPECT_EQ(ids(store->query({})), (std::vector<std::string>{"r6", "r5", "r4", "r3"}));
    // Appended after the trim, not yet flushed: must survive alongside the rewrite.
    ASSERT_EQ(store->append({record("r7", 7000, "x", "m", true)}), G2A_OK);
  }
  std::string ndjson = read_text(data / "call_logs.ndjson");
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 5);
  {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(ids(store->query({})), (std::vector<std::string>{"r7", "r6", "r5", "r4", "r3"}));
    EXPECT_EQ(store->trim(0), 5u);  // 0 clears everything
    EXPECT_EQ(store->query({}).total, 0u);
  }
  EXPECT_EQ(read_text(data / "call_logs.ndjson"), "");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->query({}).total, 0u);
}

// A small trim marks the dropped lines deleted in place ('#' over their first byte)
// instead of rewriting the file; a reopen skips them; once they fill a quarter of the file
// it is rewritten without them.
TEST_F(StorageFileCallLog, SmallTrimsMarkLinesDeletedUntilARewritePays) {
  std::vector<std::string> records;
  // Out of arrival order: the oldest by timestamp are not the first lines.
  for (int i = 0; i < 20; ++i)
    records.push_back(
        record(fmt::format("r{:02}", i), (i % 2 ? 100 : 50) * 1000 + i, "s", "m", true));
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->append(records), G2A_OK);
    ASSERT_EQ(store->flush(), G2A_OK);
    EXPECT_EQ(store->trim(18), 2u);  // r00 and r02 (t=50000, 50002)
    // Appended after the trim, not yet flushed: lands after the marked lines.
    ASSERT_EQ(store->append({record("late", 10, "s", "m", true)}), G2A_OK);
    EXPECT_EQ(store->trim(18), 1u);  // the late one is now the oldest
  }
  std::string ndjson = read_text(data / "call_logs.ndjson");
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 21);  // no rewrite
  std::string marked = "#" + record("r00", 50000, "s", "m", true).substr(1) + "\n";
  EXPECT_EQ(ndjson.substr(0, marked.size()), marked);
  std::vector<std::string> expected;
  for (int i = 19; i >= 0; --i)
    if (i % 2) expected.push_back(fmt::format("r{:02}", i));
  for (int i = 18; i >= 4; i -= 2) expected.push_back(fmt::format("r{:02}", i));
  {
    auto store = open();
    ASSERT_TRUE(store);
    QueryResult all = store->query({});
    EXPECT_EQ(ids(all), expected);
    // More than a quarter of the file deleted: rewritten with the kept lines only.
    EXPECT_EQ(store->trim(12), 6u);
    EXPECT_EQ(store->query({}).total, 12u);
    EXPECT_EQ(read_text(data / "call_logs.ndjson").find('#'), std::string::npos);
    // The offsets follow the rewrite: the next small trim marks the right line (r16's).
    EXPECT_EQ(store->trim(11), 1u);
    ASSERT_EQ(store->append({record("new", 200000, "s", "m", true)}), G2A_OK);
  }
  ndjson = read_text(data / "call_logs.ndjson");
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 13);
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '#'), 1);
  EXPECT_NE(ndjson.find("#\"id\":\"r16\""), std::string::npos);
  auto store = open();
  ASSERT_TRUE(store);
  expected.resize(11);
  expected.insert(expected.begin(), "new");
  EXPECT_EQ(ids(store->query({})), expected);
}

TEST_F(StorageFileCallLog, AppendValidatesEveryRecordBeforeAcceptingAny) {
  auto store = open();
  ASSERT_TRUE(store);
  std::string error;
  EXPECT_EQ(store->append({record("a", 1, "s", "m", true), "{not json"}, &error),
            G2A_PARSE_FAILURE);
  EXPECT_EQ(store->append({record("a", 1, "s", "m", true), R"({"id":"x"})"}, &error),
            G2A_BAD_ARGUMENT);
  EXPECT_NE(error.find("timestamp"), std::string::npos) << error;
  EXPECT_EQ(store->append({R"([1,2])"}), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->query({}).total, 0u);
}

TEST_F(StorageFileCallLog, OutOfOrderRecordsAreKeptInTimestampOrder) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->append({record("b", 2000, "s", "m", true), record("a", 1000, "s", "m", true),
                             record("c", 2000, "s", "m", true)}),
              G2A_OK);
    EXPECT_EQ(ids(store->query({})), (std::vector<std::string>{"c", "b", "a"}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(ids(store->query({})), (std::vector<std::string>{"c", "b", "a"}));
}

TEST_F(StorageFileCallLog, RecordsSurviveAReopenByteForByte) {
  std::string spaced = R"({ "id": "s", "timestamp": 5, "response_time": 1.50, "model": "m" })";
  std::string multiline = "{\"id\": \"m\",\n \"timestamp\": 6,\n \"success\": true}";
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->append({spaced, multiline}), G2A_OK);
    ASSERT_EQ(store->flush(), G2A_OK);
  }
  EXPECT_EQ(read_text(data / "call_logs.ndjson"),
            spaced + "\n" + R"({"id":"m","timestamp":6,"success":true})" + "\n");
  auto store = open();
  ASSERT_TRUE(store);
  QueryResult all = store->query({});
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_EQ(all.rows[1].second, spaced);
}

TEST_F(StorageFileCallLog, TornLastLineIsIgnoredAndCutOff) {
  std::string good = record("a", 1, "s", "m", true) + "\n" + record("b", 2, "s", "m", true) + "\n";
  write_text(data / "call_logs.ndjson", good + R"({"id":"c","timesta)");
  {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(store->query({}).total, 2u);
    EXPECT_TRUE(host.logged("torn last line 3", G2A_LOG_WARN));
    EXPECT_EQ(read_text(data / "call_logs.ndjson"), good);
    ASSERT_EQ(store->append({record("d", 3, "s", "m", true)}), G2A_OK);
  }
  host.clear_messages();
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(ids(store->query({})), (std::vector<std::string>{"d", "b", "a"}));
  EXPECT_FALSE(host.logged("torn", G2A_LOG_WARN));
}

TEST_F(StorageFileCallLog, ZeroFilledTailFromACrashIsTreatedAsTorn) {
  std::string good = record("a", 1, "s", "m", true) + "\n";
  write_text(data / "call_logs.ndjson", good + std::string(64, '\0'));
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->query({}).total, 1u);
  EXPECT_EQ(read_text(data / "call_logs.ndjson"), good);
}

TEST_F(StorageFileCallLog, CompleteLastLineWithoutNewlineIsKept) {
  write_text(data / "call_logs.ndjson", record("a", 1, "s", "m", true));
  {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(store->query({}).total, 1u);
    ASSERT_EQ(store->append({record("b", 2, "s", "m", true)}), G2A_OK);
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(ids(store->query({})), (std::vector<std::string>{"b", "a"}));
}

TEST_F(StorageFileCallLog, BadLineBeforeTheEndFailsCreate) {
  std::string text =
      record("a", 1, "s", "m", true) + "\n{broken\n" + record("b", 2, "s", "m", true) + "\n";
  write_text(data / "call_logs.ndjson", text);
  std::string error = open_fails(G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("call_logs.ndjson: line 2"), std::string::npos) << error;
  EXPECT_EQ(read_text(data / "call_logs.ndjson"), text);
}

TEST_F(StorageFileCallLog, VisitorCanStopEarlyWithoutChangingTheTotal) {
  auto store = open();
  ASSERT_TRUE(store);
  add_sample(*store);
  int seen = 0;
  auto stop = [](void* user, g2a_str, g2a_str) {
    ++*static_cast<int*>(user);
    return 1;
  };
  g2a_log_filter filter = LogQuery{}.raw();
  uint64_t total = 0;
  ASSERT_EQ(
      store->api().log_query(store->instance(), &filter, 0, 100, stop, &seen, &total, nullptr),
      G2A_OK);
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(total, 6u);
}

std::string timed(const std::string& id, int64_t ts, bool success, const std::string& rt) {
  return fmt::format(R"({{"id":"{}","timestamp":{},"sso_full":"tok","model":"m","success":{}{}}})",
                     id, ts, success ? "true" : "false",
                     rt.empty() ? "" : R"(,"response_time":)" + rt);
}

struct Bucket {
  int64_t start;
  uint64_t calls, failures;
  double median;
  bool operator==(const Bucket&) const = default;
};

std::vector<Bucket> buckets(const std::vector<g2a_log_bucket>& in) {
  std::vector<Bucket> out;
  for (const auto& b : in) {
    EXPECT_EQ(b.struct_size, sizeof(g2a_log_bucket));
    out.push_back({b.start_ms, b.calls, b.failures, b.median_latency});
  }
  return out;
}

// Buckets come from the index: calls, failures (success missing or not true) and the median
// of the numeric response_times, per bucket, oldest first, empty buckets left out.
TEST_F(StorageFileCallLog, TimeseriesBucketsTheMatchingRecords) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->append({timed("a", 1000, true, "1.5"), timed("b", 9000, false, "3"),
                           timed("c", 9999, true, "2.25"), timed("d", 10000, true, "\"x\""),
                           R"({"id":"e","timestamp":12000,"model":"m","response_time":4})",
                           timed("f", 35000, true, "0.125"), timed("g", 5000, true, "2")}),
            G2A_OK);
  // 10 s buckets: [0,10000) holds a, g, b, c; [10000,20000) d (no numeric time) and e
  // (no success: a failure); nothing in [20000,30000); [30000,40000) f.
  EXPECT_EQ(buckets(store->timeseries({}, 10000)),
            (std::vector<Bucket>{{0, 4, 1, 2.125}, {10000, 2, 1, 4}, {30000, 1, 0, 0.125}}));
  // The filter applies (inclusive times, success, model).
  LogQuery failed;
  failed.success = 0;
  EXPECT_EQ(buckets(store->timeseries(failed, 10000)),
            (std::vector<Bucket>{{0, 1, 1, 3}, {10000, 1, 1, 4}}));
  LogQuery window;
  window.start_ms = 9000;
  window.end_ms = 12000;
  EXPECT_EQ(buckets(store->timeseries(window, 10000)),
            (std::vector<Bucket>{{0, 2, 1, 2.625}, {10000, 2, 1, 4}}));
  LogQuery other_model;
  other_model.model = "nothing";
  EXPECT_TRUE(store->timeseries(other_model, 10000).empty());
  // A clock 3 s ahead of UTC moves the edges: buckets start at 7000, 17000, 27000 (UTC).
  EXPECT_EQ(buckets(store->timeseries({}, 10000, 3000)),
            (std::vector<Bucket>{{-3000, 2, 0, 1.75}, {7000, 4, 2, 3}, {27000, 1, 0, 0.125}}));
  // Buckets before the epoch round down, not toward zero.
  ASSERT_EQ(store->append({timed("h", -1, true, "1")}), G2A_OK);
  EXPECT_EQ(buckets(store->timeseries({}, 10000)).front(), (Bucket{-10000, 1, 0, 1}));
  g2a_status st = G2A_OK;
  store->timeseries({}, 0, 0, &st);
  EXPECT_EQ(st, G2A_BAD_ARGUMENT);
}

// Buckets survive a reopen: response_time is indexed from the ndjson as from appends.
TEST_F(StorageFileCallLog, TimeseriesAfterReopenMatchesBefore) {
  std::vector<Bucket> before;
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->append({timed("a", 1000, true, "1.5"), timed("b", 61000, false, "0.25"),
                             timed("c", 62000, true, "0.75")}),
              G2A_OK);
    before = buckets(store->timeseries({}, 60000));
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(buckets(store->timeseries({}, 60000)), before);
  EXPECT_EQ(before, (std::vector<Bucket>{{0, 1, 0, 1.5}, {60000, 2, 1, 0.5}}));
}

// Query and stats over many records stay index-only (no JSON parsing per query).
TEST_F(StorageFileCallLog, ManyRecordsQueryQuickly) {
  constexpr int kRecords = 200000;
  auto store = open();
  ASSERT_TRUE(store);
  std::vector<std::string> batch;
  for (int i = 0; i < kRecords; ++i) {
    batch.push_back(record(fmt::format("id{}", i), 1000 + i, fmt::format("token-{}", i % 50),
                           i % 3 ? "grok-4-fast" : "grok-3", i % 7 != 0));
    if (batch.size() == 10000) {
      ASSERT_EQ(store->append(batch), G2A_OK);
      batch.clear();
    }
  }
  LogQuery filter;
  filter.sso = "TOKEN-1";  // token-1, token-10..19
  filter.model = "fast";
  auto start = std::chrono::steady_clock::now();
  QueryResult r = store->query(filter, 100, 20);
  g2a_log_stats s = store->stats(filter, 1000 + kRecords / 2);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  EXPECT_EQ(r.rows.size(), 20u);
  EXPECT_EQ(s.total, r.total);
  std::cout << "query+stats over " << kRecords << " records: " << took.count() << " ms\n";
}

}  // namespace
}  // namespace g2a::test
