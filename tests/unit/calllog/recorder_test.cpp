// The recorder queues off the request path, writes in batches in arrival order, keeps the
// newest global.log_max_count records (read at each flush) and re-queues on a failed write.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "core/calllog/call_record.hpp"
#include "core/calllog/recorder.hpp"
#include "core/calllog/sink_feed.hpp"
#include "support/temp_dir.hpp"
#include "unit/tokens/store_env.hpp"

namespace g2a::calllog {
namespace {
namespace json = boost::json;

CallRecord make(const std::string& id, int64_t ts) {
  CallRecord r;
  r.id = id;
  r.timestamp = ts;
  r.sso_full = "abcdefghijklmnop-" + id;
  r.model = "grok-4-fast";
  r.success = true;
  r.status_code = 200;
  return r;
}

std::vector<std::string> ids(const storage::Store::LogPage& page) {
  std::vector<std::string> out;
  for (const auto& r : page.records) out.push_back(json::parse(r).at("id").as_string().c_str());
  return out;
}

class RecorderTest : public ::testing::Test {
 protected:
  storage::Store::LogPage all() {
    g2a_log_filter f{sizeof(g2a_log_filter), {"", 0}, {"", 0}, -1, 0, 0};
    return env.store().log_query(f, 0, 100);
  }
  g2a::test::TempDir dir;
  boost::asio::io_context io;
  runtime::BlockingPool blocking{1};
  tokens::test::StoreEnv env{G2A_PLUGIN_DIR, dir.path(), io.get_executor(), blocking};
  int64_t max_count = 10000;
  int64_t batch_size = 500;
  Recorder recorder{env.store(), [this] { return max_count; }, [this] { return batch_size; }};
};

TEST_F(RecorderTest, SubmitOnlyQueuesAndFlushWritesEveryBatchInOrder) {
  batch_size = 2;
  for (int i = 1; i <= 5; ++i) recorder.submit(make("r" + std::to_string(i), i * 1000));
  EXPECT_EQ(recorder.queued(), 5u);
  EXPECT_EQ(all().total, 0u);                // nothing reaches storage before a flush
  EXPECT_EQ(recorder.flush_blocking(), 5u);  // batches of 2, 2 and 1
  EXPECT_EQ(recorder.queued(), 0u);
  EXPECT_EQ(recorder.written(), 5u);
  EXPECT_EQ(ids(all()), (std::vector<std::string>{"r5", "r4", "r3", "r2", "r1"}));
  EXPECT_EQ(recorder.flush_blocking(), 0u);  // an empty queue writes nothing
  EXPECT_EQ(all().total, 5u);
}

TEST_F(RecorderTest, AFullBatchSignalsOnceUntilAFlushTakesTheQueue) {
  int signals = 0;
  recorder.on_batch_ready([&] { ++signals; });
  batch_size = 3;
  recorder.submit(make("b1", 1000));
  recorder.submit(make("b2", 2000));
  EXPECT_EQ(signals, 0);
  recorder.submit(make("b3", 3000));
  EXPECT_EQ(signals, 1);  // the queue reached the batch size
  recorder.submit(make("b4", 4000));
  EXPECT_EQ(signals, 1);       // already signalled: the flush it started takes these too
  EXPECT_EQ(all().total, 0u);  // submit never writes
  recorder.flush_blocking();
  EXPECT_EQ(all().total, 4u);
  batch_size = 1;  // changed at runtime: applies to the next submit
  recorder.submit(make("b5", 5000));
  EXPECT_EQ(signals, 2);
}

TEST_F(RecorderTest, RetentionFollowsTheLiveSetting) {
  max_count = 3;
  for (int i = 1; i <= 5; ++i) recorder.submit(make("r" + std::to_string(i), i * 1000));
  recorder.flush_blocking();
  EXPECT_EQ(ids(all()), (std::vector<std::string>{"r5", "r4", "r3"}));
  max_count = 1;  // changed at runtime: the next flush applies it
  recorder.submit(make("r6", 6000));
  recorder.flush_blocking();
  EXPECT_EQ(ids(all()), (std::vector<std::string>{"r6"}));
}

TEST_F(RecorderTest, StoredRecordMasksTheSsoAndTheProxyButKeepsTheFullSso) {
  CallRecord r = make("x1", 1000);
  r.proxy_used = "http://user:secret@proxy.example:8080";
  r.media_urls = {"https://gw.example/images/a.jpg"};
  r.response_time = 1.23456;
  recorder.submit(r);
  recorder.flush_blocking();
  auto page = all();
  ASSERT_EQ(page.records.size(), 1u);
  auto o = json::parse(page.records[0]).as_object();
  EXPECT_EQ(o.at("sso").as_string(), "abcdefghij****");
  EXPECT_EQ(o.at("sso_full").as_string(), "abcdefghijklmnop-x1");
  EXPECT_EQ(o.at("proxy_used").as_string(), "http://user:****@proxy.example:8080");
  EXPECT_EQ(o.at("media_urls").as_array().size(), 1u);
  EXPECT_DOUBLE_EQ(o.at("response_time").as_double(), 1.235);
  EXPECT_EQ(o.at("token_consumed").as_int64(), 1);
  EXPECT_EQ(page.records[0].find("secret"), std::string::npos);
}

// A sink that keeps every record it is given and answers G2A_OK.
std::vector<std::string> g_sunk;
g2a_status keep_all(void*, const g2a_str* records, size_t count, g2a_done_fn done, void* user) {
  for (size_t i = 0; i < count; ++i) g_sunk.emplace_back(records[i].data, records[i].len);
  done(user, G2A_OK, {"", 0});
  return G2A_OK;
}
const g2a_log_sink_v1 kKeepAll{sizeof(g2a_log_sink_v1), &keep_all};

TEST_F(RecorderTest, EachFlushHandsTheNewRecordsToTheSinksToo) {
  g_sunk.clear();
  recorder.add_sink(std::make_unique<SinkFeed>("keep-all", &kKeepAll, nullptr));
  recorder.submit(make("s1", 1000));
  recorder.submit(make("s2", 2000));
  EXPECT_TRUE(g_sunk.empty());  // nothing before a flush
  recorder.flush_blocking();
  ASSERT_EQ(g_sunk.size(), 2u);
  EXPECT_EQ(json::parse(g_sunk[0]).at("id").as_string(), "s1");
  // The stored JSON without the full SSO: a sink may be a third party.
  auto sunk = json::parse(g_sunk[1]).as_object();
  auto stored = json::parse(all().records[0]).as_object();
  EXPECT_EQ(sunk.if_contains("sso_full"), nullptr);
  EXPECT_EQ(g_sunk[1].find(stored.at("sso_full").as_string().c_str()), std::string::npos);
  stored.erase("sso_full");
  EXPECT_EQ(sunk, stored);
  EXPECT_EQ(recorder.sinks()[0]->counters().delivered, 2u);
}

}  // namespace
}  // namespace g2a::calllog
