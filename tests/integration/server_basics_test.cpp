// The server binary as an operator meets it: health, errors, limits, keep-alive,
// metrics, CORS, command line and signals.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {

class ServerBasics : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env = {}, std::string toml = "") {
    server_ = std::make_unique<ServerProcess>(ServerConfig(dir_.str(), toml, {}, std::move(env)));
  }
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  HttpClient http_;
};

TEST_F(ServerBasics, HealthReportsVersionStorageAndPlugins) {
  start();
  auto r = http_.get(server_->url("/health"));
  ASSERT_EQ(r.status, 200) << r.error << server_->output();
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["x-request-id"].rfind("req_", 0), 0u);
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "status"), "ok");
  EXPECT_EQ(at(v, "storage/mode"), "file");
  EXPECT_EQ(at(v, "storage/plugin"), "storage-file");
  EXPECT_FALSE(at(v, "version").as_string().empty());
  bool found = false;
  for (const auto& p : at(v, "plugins").as_array())
    if (p.at("id") == "storage-file") found = p.at("abi") == "1.4" && p.at("required") == true;
  EXPECT_TRUE(found) << r.body;
}

TEST_F(ServerBasics, StartUpLogNamesComponentsAndFallsBackToDefaults) {
  start();
  auto out = server_->output();
  EXPECT_NE(out.find("[Settings] no settings file at"), std::string::npos) << out;
  EXPECT_NE(out.find("[Storage] mode file on file:"), std::string::npos) << out;
  EXPECT_NE(out.find("[Plugin] loaded storage-file"), std::string::npos) << out;
  EXPECT_NE(out.find("[Admin]"), std::string::npos) << "default password warning missing\n" << out;
}

TEST_F(ServerBasics, ClientRequestIdIsEchoedAndUnknownPathsGetTheEnvelope) {
  start();
  auto r = http_.get(server_->url("/v9/nothing"), {"X-Request-Id: my-trace.42"});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers["x-request-id"], "my-trace.42");
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "error/type"), "invalid_request_error");
  EXPECT_EQ(at(v, "error/code"), "unknown_url");
  EXPECT_TRUE(at(v, "error/param").is_null());
  EXPECT_NE(at(v, "error/message").as_string().find("/v9/nothing"), std::string::npos);
}

TEST_F(ServerBasics, WrongMethodIs405WithAllow) {
  start();
  auto r = http_.request("DELETE", server_->url("/health"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET");
  EXPECT_EQ(at(parse_json(r.body), "error/code"), "method_not_allowed");
}

TEST_F(ServerBasics, OversizeBodyIs413WithJsonError) {
  start({{"GROK2API_GLOBAL_MAX_BODY_MB", "1"}});
  std::string big((1u << 20) + 10, 'x');
  auto r = http_.post_json(server_->url("/api/login"), big);
  ASSERT_EQ(r.status, 413) << r.error;
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "error/code"), "request_too_large");
  EXPECT_FALSE(r.headers["x-request-id"].empty());
  // The server is still there for the next client.
  HttpClient other;
  EXPECT_EQ(other.get(server_->url("/health")).status, 200);
}

TEST_F(ServerBasics, KeepAliveReusesTheConnection) {
  start();
  auto first = http_.get(server_->url("/health"));
  auto second = http_.get(server_->url("/health"));
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(first.new_connections, 1);
  EXPECT_EQ(second.new_connections, 0);
}

TEST_F(ServerBasics, HeadAnswersHeadersOnly) {
  start();
  auto r = http_.request("HEAD", server_->url("/health"));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.headers["content-length"].empty());
}

TEST_F(ServerBasics, MetricsAreInPrometheusFormat) {
  start();
  ASSERT_EQ(http_.get(server_->url("/health")).status, 200);
  auto r = http_.get(server_->url("/metrics"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"].rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(r.body.find("# TYPE g2a_http_requests_total counter"), std::string::npos);
  EXPECT_NE(r.body.find("g2a_http_requests_total{route=\"/health\",code=\"200\"}"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("g2a_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(r.body.find("g2a_blocking_queue_depth"), std::string::npos);
}

TEST_F(ServerBasics, CorsIsASetting) {
  start();
  auto off = http_.get(server_->url("/health"), {"Origin: https://app.example"});
  EXPECT_EQ(off.headers.count("access-control-allow-origin"), 0u);
  server_->stop(SIGTERM);
  start({{"GROK2API_SERVER_CORS_ORIGINS", "[\"https://app.example\"]"}});
  auto on = http_.get(server_->url("/health"), {"Origin: https://app.example"});
  EXPECT_EQ(on.headers["access-control-allow-origin"], "https://app.example");
  auto pre = http_.request("OPTIONS", server_->url("/v1/chat/completions"), "",
                           {"Origin: https://app.example", "Access-Control-Request-Method: POST",
                            "Access-Control-Request-Headers: authorization, content-type"});
  EXPECT_EQ(pre.status, 204);
  EXPECT_NE(pre.headers["access-control-allow-methods"].find("POST"), std::string::npos);
  auto other = http_.get(server_->url("/health"), {"Origin: https://evil.example"});
  EXPECT_EQ(other.headers.count("access-control-allow-origin"), 0u);
}

// Out of descriptors, accept fails at once for as long as the connection waits: the server
// backs off (a few log lines, not thousands) and serves again once descriptors are free.
TEST_F(ServerBasics, RunningOutOfDescriptorsPausesAcceptingInsteadOfSpinning) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sanitizer runtimes probe memory through a pipe of their own; with no "
                  "descriptor left they report a false invalid vptr and exit. Run this test in "
                  "a build without G2A_SANITIZE (README: Quick start).";
#endif
  start();
  ASSERT_EQ(http_.get(server_->url("/health")).status, 200);
  rlimit original{};
  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_NOFILE, nullptr, &original), 0);
  size_t open_now = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(server_->pid()) + "/fd"))
    ++open_now;
  rlimit tight = original;
  tight.rlim_cur = open_now;  // not one descriptor more
  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_NOFILE, &tight, nullptr), 0);

  int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(client, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);  // queued
  EXPECT_TRUE(server_->wait_for_output("accept failed (1 in a row)")) << server_->output();
  close(client);

  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_NOFILE, &original, nullptr), 0);
  HttpClient fresh;
  auto r = fresh.get(server_->url("/health"));
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_TRUE(server_->wait_for_output("accepting again after")) << server_->output();
  // A spinning loop fails hundreds of thousands of times a second; the backoff a few dozen.
  EXPECT_EQ(server_->output().find("00 in a row"), std::string::npos) << server_->output();
}

TEST_F(ServerBasics, SigtermDrainsAndExitsZero) {
  start();
  ASSERT_EQ(http_.get(server_->url("/health")).status, 200);
  EXPECT_EQ(server_->stop(SIGTERM), 0) << server_->output();
  EXPECT_NE(server_->output().find("[Main] stopped"), std::string::npos);
}

TEST_F(ServerBasics, SighupReloadsTheSettingsFile) {
  start({}, "[global]\nlog_level = \"INFO\"\n");
  { std::ofstream(dir_.path() / "data" / "setting.toml") << "[global]\nlog_level = \"DEBUG\"\n"; }
  kill(server_->pid(), SIGHUP);
  EXPECT_TRUE(server_->wait_for_output("settings reloaded (SIGHUP)")) << server_->output();
  ASSERT_EQ(http_.get(server_->url("/health")).status, 200);
}

TEST(CommandLine, VersionAndHelp) {
  TempDir dir;
  ServerProcess v(ServerConfig(dir.str(), "", {"--version"}, {}, false));
  EXPECT_EQ(v.wait_exit(), 0);
  EXPECT_NE(v.output().find("grok2api 0."), std::string::npos) << v.output();
  EXPECT_NE(v.output().find("plugin ABI 1."), std::string::npos);
  ServerProcess bad(ServerConfig(dir.str(), "", {"--bogus"}, {}, false));
  EXPECT_EQ(bad.wait_exit(), 2);
  EXPECT_NE(bad.output().find("unknown argument '--bogus'"), std::string::npos);
}

TEST(CommandLine, CheckConfigNamesTheBadKey) {
  TempDir dir;
  ServerProcess ok(
      ServerConfig(dir.str(), "[global]\nlog_max_count = 5\n", {"--check-config"}, {}, false));
  EXPECT_EQ(ok.wait_exit(), 0) << ok.output();
  EXPECT_NE(ok.output().find("configuration OK"), std::string::npos);
  ServerProcess bad(ServerConfig(dir.str(), "[global]\nlog_max_count = \"many\"\n",
                                 {"--check-config"}, {}, false));
  EXPECT_EQ(bad.wait_exit(), 2);
  EXPECT_NE(bad.output().find("global.log_max_count"), std::string::npos) << bad.output();
}

TEST(CommandLine, BadEnvironmentValueStopsStartUp) {
  TempDir dir;
  ServerProcess bad(ServerConfig(dir.str(), "", {}, {{"PORT", "seventy"}}, false));
  EXPECT_EQ(bad.wait_exit(), 2);
  EXPECT_NE(bad.output().find("PORT"), std::string::npos) << bad.output();
}

}  // namespace
}  // namespace g2a::test
