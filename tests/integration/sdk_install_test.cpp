// After `cmake --install`: the installed server finds its plugins beside its own binary,
// and a plugin built out of tree against the installed SDK loads into it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "http_client.hpp"
#include "server_process.hpp"
#include "support/test_paths.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {

TEST(SdkInstall, InstalledServerFindsItsPluginsAndLoadsAnOutOfTreePlugin) {
  TempDir dir;
  std::string plugin = test::build_dir() + "/tests/example-build/log-sink-jsonl.so";
  std::string jsonl = dir.str() + "/calls.jsonl";
  std::string toml = "[plugins]\npaths = [\"" + plugin +
                     "\"]\n[plugins.log-sink-jsonl]\nfile = \"" + jsonl + "\"\n";
  ServerConfig config{dir.str(), toml, {}, {}};
  config.binary = test::build_dir() + "/tests/install/bin/grok2api";
  ServerProcess s(config);
  HttpClient http;
  auto v = parse_json(http.get(s.url("/health")).body);
  std::set<std::string> ids;
  for (const auto& p : at(v, "plugins").as_array()) ids.insert(std::string(p.at("id").as_string()));
  EXPECT_TRUE(ids.count("storage-file")) << s.output();
  EXPECT_TRUE(ids.count("log-sink-jsonl")) << s.output();
  // The bundled proxy-source and clearance plugins (ABI 1.2) are installed beside it.
  EXPECT_TRUE(ids.count("proxy-source-api")) << s.output();
  EXPECT_TRUE(ids.count("clearance-flaresolverr")) << s.output();
  // The bundled video adapter (ABI 1.3) too, so a fresh install serves its models.
  EXPECT_TRUE(ids.count("video-grok-imagine")) << s.output();
  EXPECT_NE(std::string(at(v, "storage/backend").as_string()).find("file:"), std::string::npos);
  EXPECT_NE(s.output().find("[log-sink-jsonl] writing call-log records to " + jsonl),
            std::string::npos)
      << s.output();
}

}  // namespace
}  // namespace g2a::test
