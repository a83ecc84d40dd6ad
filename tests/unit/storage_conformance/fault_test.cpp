// Fault tolerance of the database backends: a private server is stopped (cleanly or with
// SIGKILL) and restarted while threads keep writing through the plugin. Nothing crashes,
// calls and ping fail with G2A_IO_ERROR while it is down, the plugin reconnects by itself,
// and every write it acknowledged, before the stop and after the restart, is there.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "backend.hpp"
#include "private_servers.hpp"

namespace g2a::test {
namespace {

using Clock = std::chrono::steady_clock;
using FaultParam = std::tuple<std::string, std::string>;  // backend, "stop" or "kill"

g2a_str s(const std::string& v) {
  return g2a_str{v.data(), v.size()};
}

// Threads writing documents and call-log records as fast as the store takes them,
// remembering what was acknowledged and which statuses the failures had.
class Writers {
 public:
  Writers(StorageClient& store, int threads) : store_(store) {
    for (int t = 0; t < threads; ++t) threads_.emplace_back([this, t] { loop(t); });
  }
  ~Writers() { stop(); }

  void stop() {
    done_ = true;
    for (auto& th : threads_)
      if (th.joinable()) th.join();
  }
  uint64_t acknowledged() const { return acked_.load(); }
  uint64_t failed() const { return failed_.load(); }
  std::set<g2a_status> failure_statuses() const {
    std::lock_guard lock(mu_);
    return statuses_;
  }
  std::vector<std::string> acked_docs() const {
    std::lock_guard lock(mu_);
    return docs_;
  }
  std::vector<std::string> acked_records() const {
    std::lock_guard lock(mu_);
    return records_;
  }

 private:
  void loop(int t) {
    for (int i = 0; !done_; ++i) {
      std::string key = fmt::format("w{}/{:06}", t, i);
      std::string error;
      g2a_status st =
          store_.put("conf_fault", key, fmt::format(R"({{"t":{},"i":{}}})", t, i), &error);
      note(st, key, docs_);
      std::string id = fmt::format("log-{}-{}", t, i);
      st = store_.append(
          {fmt::format(R"({{"id":"{}","timestamp":{},"sso":"s","model":"m","success":true}})", id,
                       1'000'000 + i)},
          &error);
      note(st, id, records_);
    }
  }
  void note(g2a_status st, const std::string& what, std::vector<std::string>& acked) {
    std::lock_guard lock(mu_);
    if (st == G2A_OK) {
      acked.push_back(what);
      ++acked_;
    } else {
      statuses_.insert(st);
      ++failed_;
    }
  }

  StorageClient& store_;
  std::atomic<bool> done_{false};
  std::atomic<uint64_t> acked_{0}, failed_{0};
  mutable std::mutex mu_;
  std::set<g2a_status> statuses_;
  std::vector<std::string> docs_, records_;
  std::vector<std::thread> threads_;
};

// Polls cond every 20 ms, at most `tries` times; whether it became true.
template <class Cond>
bool poll(int tries, Cond cond) {
  for (int i = 0; i < tries; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

// A private server with a fresh database on it, for one test.
struct PrivateStore {
  explicit PrivateStore(const std::string& backend) : server(backend), db(backend, server.url()) {}
  // Fails the test unless both were set up.
  bool ok() const {
    EXPECT_EQ(server.error(), "");
    EXPECT_EQ(db.error(), "");
    return server.error().empty() && db.error().empty();
  }
  std::unique_ptr<StorageClient> open() {
    g2a_status status = G2A_OK;
    std::string error;
    auto store = db.open(&status, &error);
    EXPECT_EQ(status, G2A_OK) << error;
    return store;
  }
  PrivateServer server;
  BackendStore db;
};

bool built(const std::string& backend) {
  return std::filesystem::exists(plugin_path(backend));
}

class StorageFault : public ::testing::TestWithParam<FaultParam> {
 protected:
  const std::string& backend() const { return std::get<0>(GetParam()); }
  const std::string& how() const { return std::get<1>(GetParam()); }
};

TEST_P(StorageFault, ServerGoesAwayAndComesBackUnderLoad) {
  if (!built(backend())) GTEST_SKIP() << plugin_path(backend()) << " is not built";
  PrivateStore p(backend());
  ASSERT_TRUE(p.ok());
  PrivateServer& server = p.server;
  BackendStore& db = p.db;
  auto store = p.open();
  ASSERT_TRUE(store);

  Writers writers(*store, 4);
  ASSERT_TRUE(poll(1500, [&] { return writers.acknowledged() >= 200; }))
      << "no writes got through before the fault";

  ASSERT_EQ(server.run(how()), "");
  auto down_since = Clock::now();
  // While it is down: ping says so (G2A_IO_ERROR with a reason, no password), calls fail
  // with G2A_IO_ERROR, in bounded time, and the writers see only that.
  std::string ping_error;
  ASSERT_TRUE(poll(1500, [&] { return store->ping(&ping_error) == G2A_IO_ERROR; }))
      << "ping kept answering OK with the server gone";
  EXPECT_FALSE(ping_error.empty());
  if (!db.password().empty()) {
    EXPECT_EQ(ping_error.find(db.password()), std::string::npos) << ping_error;
  }
  auto call_start = Clock::now();
  EXPECT_EQ(store->put("conf_fault", "while-down", "{}"), G2A_IO_ERROR);
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  EXPECT_EQ(store->api().doc_get(store->instance(), s("conf_fault"), s("w0/000000"), &out, &err),
            G2A_IO_ERROR);
  db.host().adopt(out);
  EXPECT_FALSE(db.host().adopt(err).empty());
  uint64_t total = 0;
  err = {nullptr, 0};
  g2a_log_filter filter{};
  filter.struct_size = sizeof filter;
  filter.success = -1;
  EXPECT_EQ(store->api().log_query(
                store->instance(), &filter, 0, 10, [](void*, g2a_str, g2a_str) { return 0; },
                nullptr, &total, &err),
            G2A_IO_ERROR);
  db.host().adopt(err);
  double failing_call_s = std::chrono::duration<double>(Clock::now() - call_start).count();
  EXPECT_LT(failing_call_s, 15.0) << "calls against a dead server must fail in bounded time";
  uint64_t failed_before = writers.failed();
  ASSERT_TRUE(poll(1500, [&] { return writers.failed() > failed_before + 4; }));

  ASSERT_EQ(server.run("restart"), "");
  double down_s = std::chrono::duration<double>(Clock::now() - down_since).count();
  // Back: the plugin reconnects by itself (no new instance), ping and the writers recover.
  ASSERT_TRUE(poll(1500, [&] { return store->ping(&ping_error) == G2A_OK; })) << ping_error;
  uint64_t acked_at_restart = writers.acknowledged();
  ASSERT_TRUE(poll(1500, [&] { return writers.acknowledged() >= acked_at_restart + 200; }))
      << "writes did not resume after the restart";
  writers.stop();

  for (g2a_status st : writers.failure_statuses()) EXPECT_EQ(st, G2A_IO_ERROR);
  // Every acknowledged document and record is there.
  std::set<std::string> keys;
  for (const auto& [key, json] : store->list("conf_fault")) keys.insert(key);
  std::vector<std::string> docs = writers.acked_docs();
  size_t missing_docs = 0;
  for (const auto& k : docs) missing_docs += !keys.count(k);
  EXPECT_EQ(missing_docs, 0u) << "of " << docs.size() << " acknowledged documents";
  std::set<std::string> ids;
  for (const auto& [id, record] : store->query({}).rows) ids.insert(id);
  std::vector<std::string> records = writers.acked_records();
  size_t missing_records = 0;
  for (const auto& id : records) missing_records += !ids.count(id);
  EXPECT_EQ(missing_records, 0u) << "of " << records.size() << " acknowledged records";
  std::printf(
      "[%s %s] %zu documents and %zu records acknowledged, %llu calls failed while "
      "down for %.1f s, a failing call took %.2f s\n",
      backend().c_str(), how().c_str(), docs.size(), records.size(),
      static_cast<unsigned long long>(writers.failed()), down_s, failing_call_s);
  // The same holds for a fresh instance (what another gateway would read).
  store.reset();
  auto again = p.open();
  ASSERT_TRUE(again);
  EXPECT_GE(again->list("conf_fault").size(), docs.size());
  EXPECT_GE(again->query({}).total, records.size());
}

using StorageServerDown = ::testing::TestWithParam<std::string>;

TEST_P(StorageServerDown, CreateFailsClearly) {
  const std::string& backend = GetParam();
  if (!built(backend)) GTEST_SKIP() << plugin_path(backend) << " is not built";
  PrivateStore p(backend);
  ASSERT_TRUE(p.ok());
  BackendStore& db = p.db;
  ASSERT_EQ(p.server.run("stop"), "");
  g2a_status status = G2A_OK;
  std::string error;
  auto start = Clock::now();
  auto store = db.open(&status, &error);
  EXPECT_EQ(store, nullptr);
  EXPECT_NE(status, G2A_OK);
  EXPECT_NE(error.find("127.0.0.1"), std::string::npos) << error;  // names host:port
  if (!db.password().empty()) {
    EXPECT_EQ(error.find(db.password()), std::string::npos) << error;
  }
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 15.0);
}

// Runs call on another thread and waits for it at most `limit`: nullopt when it had not
// returned by then (release() then unblocks it, and it is joined, so nothing dangles).
template <class Call, class Release>
std::optional<g2a_status> within(std::chrono::seconds limit, Call call, Release release) {
  auto result = std::async(std::launch::async, call);
  bool returned = result.wait_for(limit) == std::future_status::ready;
  if (!returned) release();
  g2a_status st = result.get();
  if (!returned) return std::nullopt;
  return st;
}

TEST_P(StorageServerDown, AHungServerFailsCallsInBoundedTime) {
  const std::string& backend = GetParam();
  if (!built(backend)) GTEST_SKIP() << plugin_path(backend) << " is not built";
  PrivateStore p(backend);
  ASSERT_TRUE(p.ok());
  PrivateServer& server = p.server;
  auto store = p.open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("conf_hung", "before", "{}"), G2A_OK);

  // The server accepts nothing and answers nothing (SIGSTOP): ping must still return
  // within a few seconds, with G2A_IO_ERROR, and so must a write.
  ASSERT_EQ(server.run("pause"), "");
  bool resumed = false;
  auto resume = [&] {
    if (!resumed) resumed = server.run("resume").empty();
  };
  auto start = Clock::now();
  std::string ping_error;
  auto ping = within(
      std::chrono::seconds(30), [&] { return store->ping(&ping_error); }, resume);
  double ping_s = std::chrono::duration<double>(Clock::now() - start).count();
  start = Clock::now();
  auto put = within(
      std::chrono::seconds(60), [&] { return store->put("conf_hung", "during", "{}"); }, resume);
  double put_s = std::chrono::duration<double>(Clock::now() - start).count();
  resume();
  std::printf("[%s] against a hung server: ping returned after %.1f s, a put after %.1f s\n",
              backend.c_str(), ping_s, put_s);
  ASSERT_TRUE(ping.has_value()) << "ping did not return within 30 s from a hung server";
  EXPECT_EQ(*ping, G2A_IO_ERROR) << ping_error;
  ASSERT_TRUE(put.has_value()) << "a put did not return within 60 s from a hung server";
  EXPECT_EQ(*put, G2A_IO_ERROR);

  // Resumed: the same instance works again.
  ASSERT_TRUE(poll(1500, [&] { return store->ping(&ping_error) == G2A_OK; })) << ping_error;
  EXPECT_TRUE(poll(1500, [&] { return store->put("conf_hung", "after", "{}") == G2A_OK; }));
  EXPECT_TRUE(store->get("conf_hung", "before"));
}

std::string fault_name(const ::testing::TestParamInfo<FaultParam>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageFault,
                         ::testing::Combine(::testing::Values("mysql", "redis"),
                                            ::testing::Values("stop", "kill")),
                         fault_name);
INSTANTIATE_TEST_SUITE_P(Backends, StorageServerDown, ::testing::Values("mysql", "redis"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace g2a::test
