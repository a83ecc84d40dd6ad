// Call-log records under kill -9: real chats through the gateway to the simulator, a
// SIGKILL, a restart on the same data directory. The gateway starts, the log answers, and
// every record that was on disk before the kill is still there (at most the last flush
// interval is lost); a torn last line is cut off and reported. Also: a queue that reaches
// global.log_batch_size is written without waiting for the interval, and that size
// changes at runtime.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "eventually.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "simulator_process.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kSso = "crash-log-token-0001";
constexpr const char* kPassword = "crash-log-admin";
constexpr const char* kApiKey = "sk-crash-log";

// The request ids of the complete ('\n'-terminated) lines of call_logs.ndjson: what a
// kill -9 can no longer take away.
std::multiset<std::string> ids_on_disk(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::multiset<std::string> ids;
  size_t start = 0, end;
  while ((end = text.find('\n', start)) != std::string::npos) {
    boost::system::error_code ec;
    auto v = boost::json::parse(std::string_view(text).substr(start, end - start), ec);
    EXPECT_FALSE(ec) << file << ": a complete line does not parse";
    if (!ec) ids.insert(std::string(at(v, "request_id").as_string()));
    start = end + 1;
  }
  return ids;
}

class CallLogCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    sim_ = SimulatorProcess::start(&why);
    if (!sim_) GTEST_SKIP() << why;
    sim_->control("accounts", std::string(R"({"sso":")") + kSso + R"(","tier":"super"})");
  }
  // The call-log settings go in the file, so that the admin API may change them.
  ServerConfig config(const std::string& flush_interval, const std::string& batch_size = "500") {
    std::map<std::string, std::string> env = {{"GROK2API_GROK_UPSTREAM_URL", sim_->grok()},
                                              {"GROK2API_GROK_ASSETS_URL", sim_->assets()},
                                              {"GROK2API_GROK_ACCOUNTS_URL", sim_->accounts()},
                                              {"GROK2API_GROK_CHAT_TRANSPORT", "rest"},
                                              {"ADMIN_PASSWORD", kPassword},
                                              {"API_KEY", kApiKey}};
    return ServerConfig(dir_.str(),
                        "[global]\nlog_flush_interval = " + flush_interval +
                            "\nlog_batch_size = " + batch_size + "\n",
                        {}, env);
  }
  // Logs in (and, the first time, puts the account in the pool).
  std::string admin(ServerProcess& s, bool add_token) {
    auto login =
        http_.post_json(s.url("/api/login"),
                        std::string(R"({"username":"admin","password":")") + kPassword + "\"}");
    EXPECT_EQ(login.status, 200) << login.body << s.output();
    std::string auth =
        "Authorization: Bearer " + std::string(at(parse_json(login.body), "token").as_string());
    if (add_token) {
      auto added = http_.post_json(
          s.url("/api/tokens/add"),
          std::string(R"({"tokens":[")") + kSso + R"("],"token_type":"ssoSuper"})", {auth});
      EXPECT_EQ(added.status, 200) << added.body;
    }
    return auth;
  }
  // One chat with a request id of ours, so that its record can be found.
  void chat(ServerProcess& s, const std::string& request_id) {
    auto r = http_.post_json(
        s.url("/v1/chat/completions"),
        R"({"model":"grok-4-fast","messages":[{"role":"user","content":"hello"}]})",
        {std::string("Authorization: Bearer ") + kApiKey, "X-Request-Id: " + request_id});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  fs::path log_file() const { return dir_.path() / "data" / "call_logs.ndjson"; }

  TempDir dir_;
  std::unique_ptr<SimulatorProcess> sim_;
  HttpClient http_;
};

TEST_F(CallLogCrash, KillNineLosesAtMostTheLastFlushIntervalAndTheLogStaysReadable) {
  std::multiset<std::string> on_disk_before_kill;
  {
    ServerProcess s(config("0.2"));
    admin(s, true);
    for (int i = 0; i < 5; ++i) chat(s, "before-" + std::to_string(i));
    // The first five are written by the periodic flush alone (no admin query flushes them).
    ASSERT_TRUE(eventually([&] {
      auto ids = ids_on_disk(log_file());
      for (int i = 0; i < 5; ++i)
        if (!ids.count("before-" + std::to_string(i))) return false;
      return true;
    })) << s.output();
    for (int i = 0; i < 5; ++i) chat(s, "after-" + std::to_string(i));
    on_disk_before_kill = ids_on_disk(log_file());
    EXPECT_EQ(s.stop(SIGKILL), 128 + SIGKILL);
  }
  // The kill came in the middle of an append: a partial record is the file's last line.
  std::ofstream(log_file(), std::ios::app | std::ios::binary)
      << R"({"id":"torn","timestamp":17000000)";

  ServerProcess s(config("0.2"));
  EXPECT_TRUE(s.wait_for_output("torn last line")) << s.output();
  auto auth = admin(s, false);
  auto r = http_.get(s.url("/api/logs?page_size=1000"), {auth});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = parse_json(r.body);
  std::multiset<std::string> listed;
  for (const auto& rec : at(v, "data").as_array())
    listed.insert(std::string(at(rec, "request_id").as_string()));
  EXPECT_EQ(at(v, "total").as_int64(), static_cast<int64_t>(listed.size()));
  for (const auto& id : on_disk_before_kill)
    EXPECT_EQ(listed.count(id), 1u) << id << " was on disk before the kill and is gone";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(listed.count("before-" + std::to_string(i)), 1u);
  EXPECT_LE(listed.size(), 10u);  // nothing twice, nothing invented (the torn line went)
  // The cut tail leaves a file whose every line parses, and new records append cleanly.
  chat(s, "after-restart");
  EXPECT_TRUE(eventually([&] { return ids_on_disk(log_file()).count("after-restart") == 1; }));
  EXPECT_EQ(ids_on_disk(log_file()).count("torn"), 0u);
  EXPECT_EQ(sim_->violations(), "[]");
}

TEST_F(CallLogCrash, AFullBatchIsWrittenWithoutWaitingForTheInterval) {
  // An hour between timed flushes: only a full queue can explain records on disk.
  ServerProcess s(config("3600", "3"));
  auto auth = admin(s, true);
  for (int i = 0; i < 3; ++i) chat(s, "batch-" + std::to_string(i));
  EXPECT_TRUE(eventually([&] { return ids_on_disk(log_file()).size() == 3; })) << s.output();

  // The batch size changes at runtime: two more records are now a full batch.
  auto set =
      http_.post_json(s.url("/api/settings"), R"({"global_config":{"log_batch_size":2}})", {auth});
  ASSERT_EQ(set.status, 200) << set.body;
  chat(s, "batch-3");
  chat(s, "batch-4");
  EXPECT_TRUE(eventually([&] { return ids_on_disk(log_file()).size() == 5; })) << s.output();

  auto bad =
      http_.post_json(s.url("/api/settings"), R"({"global_config":{"log_batch_size":0}})", {auth});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("log_batch_size"), std::string::npos) << bad.body;
  auto slow = http_.post_json(s.url("/api/settings"),
                              R"({"global_config":{"log_flush_interval":0}})", {auth});
  EXPECT_EQ(slow.status, 400);
  EXPECT_NE(slow.body.find("log_flush_interval"), std::string::npos) << slow.body;

  // A graceful stop writes the rest, even below a batch and before the interval.
  chat(s, "batch-5");
  EXPECT_EQ(s.stop(SIGTERM), 0) << s.output();
  EXPECT_EQ(ids_on_disk(log_file()).size(), 6u);
}

}  // namespace
}  // namespace g2a::test
