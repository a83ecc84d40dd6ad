// kill -9 at random moments while the server writes: every data file stays parseable,
// and a write the server acknowledged is never lost.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every JSON file parses whole; every complete line of an NDJSON file parses.
void expect_parseable(const fs::path& data) {
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    if (!e.is_regular_file()) continue;
    auto ext = e.path().extension();
    std::string text = read_file(e.path());
    if (ext == ".json") {
      boost::system::error_code ec;
      boost::json::parse(text, ec);
      EXPECT_FALSE(ec) << e.path() << " is not valid JSON after kill -9: " << ec.message();
    } else if (ext == ".ndjson") {
      size_t start = 0, end;
      while ((end = text.find('\n', start)) != std::string::npos) {
        boost::system::error_code ec;
        boost::json::parse(std::string_view(text).substr(start, end - start), ec);
        EXPECT_FALSE(ec) << e.path() << " has a bad line after kill -9";
        start = end + 1;
      }
    }
  }
}

TEST(CrashSafety, KillNineLoopLeavesEveryFileParseableAndLosesNoAcknowledgedWrite) {
  TempDir dir;
  std::mt19937 rng(std::random_device{}());
  int64_t acknowledged = 0;  // the last log_max_count the server confirmed
  const std::map<std::string, std::string> env = {{"ADMIN_PASSWORD", "crash-test-pw"},
                                                  {"GROK2API_GLOBAL_BATCH_SAVE_INTERVAL", "0.05"}};
  for (int round = 0; round < 12; ++round) {
    ServerProcess s(ServerConfig(dir.str(), "", {}, env));
    HttpClient http;
    auto login =
        http.post_json(s.url("/api/login"), R"({"username":"admin","password":"crash-test-pw"})");
    ASSERT_EQ(login.status, 200) << login.body << s.output();
    std::string auth =
        "Authorization: Bearer " + std::string(at(parse_json(login.body), "token").as_string());
    if (acknowledged) {
      auto cur = parse_json(http.get(s.url("/api/settings"), {auth}).body);
      EXPECT_GE(at(cur, "data/global/log_max_count").as_int64(), acknowledged)
          << "round " << round << ": an acknowledged settings write was lost";
    }

    // A second client creates sessions (more files written) while this one saves settings.
    std::atomic<bool> stop{false};
    std::thread sessions([&] {
      HttpClient other;
      while (!stop.load())
        other.post_json(s.url("/api/login"), R"({"username":"admin","password":"crash-test-pw"})");
    });
    int kill_after = std::uniform_int_distribution<int>(3, 30)(rng);
    for (int i = 0; i < kill_after; ++i) {
      int64_t value = 10000 + round * 100 + i;
      auto r = http.post_json(
          s.url("/api/settings"),
          "{\"global_config\":{\"log_max_count\":" + std::to_string(value) + "}}", {auth});
      ASSERT_EQ(r.status, 200) << r.body;
      acknowledged = value;
    }
    EXPECT_EQ(s.stop(SIGKILL), 128 + SIGKILL);
    stop.store(true);
    sessions.join();
    expect_parseable(dir.path() / "data");
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace g2a::test
