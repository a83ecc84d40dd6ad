// The plugin ABI is real: a plain C11 plugin loads, a 1.0 plugin loads into a 1.2 host, a plugin
// claiming a newer ABI is refused with a message naming both versions, and required = true makes
// that fatal.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "http_client.hpp"
#include "server_process.hpp"
#include "support/test_paths.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {

std::string test_plugin(const std::string& name) {
  return build_dir() + "/tests/plugins/" + name + ".so";
}

TEST(AbiProofs, PlainC11PluginLoadsWithItsConfig) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"" + test_plugin("c11_log_sink") +
                     "\"]\n[plugins.c11-sink]\ngreeting = \"hello from setting.toml\"\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}));
  HttpClient http;
  auto v = parse_json(http.get(s.url("/health")).body);
  bool found = false;
  for (const auto& p : at(v, "plugins").as_array())
    if (p.at("id") == "c11-sink") {
      found = true;
      EXPECT_EQ(p.at("abi"), "1.4");
      EXPECT_EQ(p.at("kinds").as_array().at(0), "log_sink");
      EXPECT_EQ(p.at("version"), "1.0.0");
    }
  EXPECT_TRUE(found) << s.output();
  // Config values reach plugins as JSON: a string arrives quoted.
  EXPECT_NE(s.output().find("[c11-sink] \"hello from setting.toml\""), std::string::npos)
      << s.output();
  EXPECT_EQ(at(v, "status"), "ok");
}

// The C11 sink receives call-log records through the host's batches; the graceful stop
// hands over the last ones and logs the sink's counts.
TEST(AbiProofs, LogSinkPluginReceivesCallLogRecords) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"" + test_plugin("c11_log_sink") + "\"]\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}));
  HttpClient http;
  for (int i = 0; i < 2; ++i) {
    auto r =
        http.post_json(s.url("/v1/chat/completions"),
                       R"({"model":"grok-4-fast","messages":[{"role":"user","content":"x"}]})");
    EXPECT_GE(r.status, 400);  // no accounts: a failed call, still recorded
  }
  // An admin query writes the queue, which feeds the sink; /metrics shows its counts.
  auto login = http.post_json(s.url("/api/login"), R"({"username":"admin","password":"admin"})");
  ASSERT_EQ(login.status, 200) << login.body;
  std::string token(at(parse_json(login.body), "token").as_string());
  auto logs = http.get(s.url("/api/logs"), {"Authorization: Bearer " + token});
  ASSERT_EQ(logs.status, 200) << logs.body;
  EXPECT_EQ(at(parse_json(logs.body), "total"), 2);
  EXPECT_NE(http.get(s.url("/metrics"))
                .body.find("g2a_log_sink_records_total{sink=\"c11-sink\",outcome=\"delivered\"} 2"),
            std::string::npos);
  EXPECT_EQ(s.stop(SIGTERM), 0) << s.output();
  EXPECT_NE(s.output().find("log sink c11-sink: 2 delivered, 0 retried, 0 dropped, 0 not sent"),
            std::string::npos)
      << s.output();
}

// ABI 1.2 added the clearance kind: a plugin built against 1.0 still loads beside a C11
// clearance provider, and both kinds are named in /health and /api/plugins.
TEST(AbiProofs, Abi10PluginLoadsBesideAnAbi12ClearanceProvider) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"" + test_plugin("abi_1_0_proxy_source") + "\", \"" +
                     test_plugin("c11_clearance") + "\"]\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}));
  HttpClient http;
  auto v = parse_json(http.get(s.url("/health")).body);
  EXPECT_EQ(at(v, "status"), "ok") << s.output();
  std::map<std::string, std::pair<std::string, std::string>> seen;  // id -> abi, kind
  for (const auto& p : at(v, "plugins").as_array())
    seen[std::string(p.at("id").as_string())] = {
        std::string(p.at("abi").as_string()),
        std::string(p.at("kinds").as_array().at(0).as_string())};
  EXPECT_EQ(seen["abi-1-0-source"], (std::pair<std::string, std::string>{"1.0", "proxy_source"}))
      << s.output();
  EXPECT_EQ(seen["c11-clearance"], (std::pair<std::string, std::string>{"1.4", "clearance"}))
      << s.output();

  auto login = http.post_json(s.url("/api/login"), R"({"username":"admin","password":"admin"})");
  ASSERT_EQ(login.status, 200) << login.body;
  std::string token(at(parse_json(login.body), "token").as_string());
  auto listed = http.get(s.url("/api/plugins"), {"Authorization: Bearer " + token});
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find(R"("kinds":["clearance"])"), std::string::npos) << listed.body;
}

TEST(AbiProofs, NewerAbiIsRefusedAndListed) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"" + test_plugin("newer_abi") + "\"]\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}));
  HttpClient http;
  auto v = parse_json(http.get(s.url("/health")).body);
  EXPECT_EQ(at(v, "status"), "degraded");
  auto errors = at(v, "plugin_errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  std::string msg(errors[0].at("error").as_string());
  EXPECT_NE(msg.find("newer_abi.so"), std::string::npos) << msg;
  EXPECT_NE(msg.find("built for ABI 1.5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("this host provides ABI 1.4"), std::string::npos) << msg;
  EXPECT_EQ(errors[0].at("id"), "newer-abi");
}

TEST(AbiProofs, RequiredNewerAbiStopsStartUp) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"" + test_plugin("newer_abi") +
                     "\"]\n[plugins.newer-abi]\nrequired = true\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}, false));
  EXPECT_EQ(s.wait_exit(), 1);
  EXPECT_NE(s.output().find("built for ABI 1.5; this host provides ABI 1.4"), std::string::npos)
      << s.output();
  EXPECT_NE(s.output().find("start-up stopped"), std::string::npos);
}

TEST(AbiProofs, NotAPluginIsExplained) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"/nonexistent/thing.so\"]\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}));
  HttpClient http;
  auto v = parse_json(http.get(s.url("/health")).body);
  auto errors = at(v, "plugin_errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(std::string(errors[0].at("error").as_string())
                .find("cannot load plugin /nonexistent/thing.so"),
            std::string::npos);
}

TEST(AbiProofs, MissingStoragePluginIsFatal) {
  TempDir dir;
  ServerProcess s(ServerConfig(dir.str(), "[plugins]\ndirectory = \"nowhere\"\n", {}, {}, false));
  EXPECT_EQ(s.wait_exit(), 1);
  EXPECT_NE(s.output().find("required plugin 'storage-file' was not found"), std::string::npos)
      << s.output();
}

// ABI 1.3 added video to the model-adapter vocabulary: a third party's C11 video adapter
// (tests/plugins/acme_video.c) loads from [plugins] paths beside the bundled
// video-grok-imagine, which is installed and loaded by default.
TEST(AbiProofs, C11VideoAdapterLoadsBesideTheBundledOne) {
  TempDir dir;
  std::string toml = "[plugins]\npaths = [\"" + test_plugin("acme_video") + "\"]\n";
  ServerProcess s(ServerConfig(dir.str(), toml, {}, {}));
  HttpClient http;
  auto v = parse_json(http.get(s.url("/health")).body);
  std::map<std::string, std::pair<std::string, std::string>> seen;  // id -> abi, kind
  for (const auto& p : at(v, "plugins").as_array())
    seen[std::string(p.at("id").as_string())] = {
        std::string(p.at("abi").as_string()),
        std::string(p.at("kinds").as_array().at(0).as_string())};
  EXPECT_EQ(seen["acme-video"], (std::pair<std::string, std::string>{"1.3", "model_adapter"}))
      << s.output();
  EXPECT_EQ(seen["video-grok-imagine"],
            (std::pair<std::string, std::string>{"1.4", "model_adapter"}))
      << s.output();
}

}  // namespace
}  // namespace g2a::test
