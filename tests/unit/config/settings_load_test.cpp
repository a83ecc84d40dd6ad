// Loading files: defaults, the Pro service's example, our own example, unknown keys and
// [plugins] tables.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <toml++/toml.h>
#include <boost/json.hpp>

#include "config_test_support.hpp"
#include "core/config/settings.hpp"

namespace g2a::config {
namespace {

using testing::config_error;
using testing::has_warning;
using testing::load_text;
using testing::source_dir;

TEST(SettingsDefaults, MissingFileGivesBuiltInDefaults) {
  auto loaded = load(Sources{"/nonexistent/grok2api/setting.toml", {}, ""});
  EXPECT_FALSE(loaded.file_found);
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_TRUE(loaded.pinned.empty());
  const auto& s = loaded.settings;
  EXPECT_EQ(s.server.host, "0.0.0.0");
  EXPECT_EQ(s.server.port, 8001);
  EXPECT_EQ(s.global.max_body_mb, 32);
  EXPECT_EQ(s.storage.mode, "file");
  EXPECT_EQ(s.grok.upstream_url, "https://grok.com");
  EXPECT_EQ(s.grok.assets_url, "https://assets.grok.com");
  EXPECT_EQ(s.grok.accounts_url, "https://accounts.x.ai");
  EXPECT_EQ(s.grok.retry_status_codes, (std::vector<int64_t>{401, 429}));
  EXPECT_EQ(to_json(s, true), to_json(Settings{}, true));
}

TEST(SettingsDefaults, EmptyPathGivesDefaults) {
  auto loaded = load(Sources{});
  EXPECT_FALSE(loaded.file_found);
  EXPECT_EQ(to_json(loaded.settings, true), to_json(Settings{}, true));
}

TEST(SettingsDefaults, EmptyFileIsFoundAndGivesDefaults) {
  auto loaded = load_text("");
  EXPECT_TRUE(loaded.file_found);
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_EQ(to_json(loaded.settings, true), to_json(Settings{}, true));
}

// The values of the Pro service's data/setting.example.toml.
void expect_pro_example(const std::filesystem::path& path) {
  auto loaded = load(Sources{path, {}, ""});
  EXPECT_TRUE(loaded.file_found);
  EXPECT_TRUE(loaded.warnings.empty()) << ::testing::PrintToString(loaded.warnings);
  const auto& g = loaded.settings.grok;
  EXPECT_EQ(g.api_key, "sk-REPLACE_ME");
  EXPECT_EQ(g.proxy_url, "");
  EXPECT_EQ(g.cf_clearance, "");
  EXPECT_EQ(g.filtered_tags, "xaiartifact,xai:tool_usage_card,grok:render");
  EXPECT_DOUBLE_EQ(g.stream_chunk_timeout, 120);
  EXPECT_DOUBLE_EQ(g.stream_total_timeout, 600);
  EXPECT_DOUBLE_EQ(g.stream_first_response_timeout, 30);
  EXPECT_TRUE(g.temporary);
  EXPECT_TRUE(g.show_thinking);
  EXPECT_TRUE(g.dynamic_statsig);
  EXPECT_EQ(g.proxy_pool_interval, 300);
  EXPECT_EQ(g.retry_status_codes, (std::vector<int64_t>{401, 429}));
  EXPECT_EQ(g.max_tls_retries, 2);
  const auto& gl = loaded.settings.global;
  EXPECT_EQ(gl.base_url, "http://127.0.0.1:8001");
  EXPECT_EQ(gl.log_level, "INFO");
  EXPECT_EQ(gl.image_mode, "url");
  EXPECT_EQ(gl.admin_username, "admin");
  EXPECT_EQ(gl.admin_password, "admin");
  EXPECT_EQ(gl.image_cache_max_size_mb, 512);
  EXPECT_EQ(gl.video_cache_max_size_mb, 1024);
  EXPECT_EQ(gl.token_refresh_interval, 3600);
  EXPECT_EQ(gl.token_refresh_scope, "expired");
  EXPECT_EQ(gl.token_zero_expire_threshold, 3);
}

TEST(ProExample, SharedSpecCopyLoads) {
  auto path = source_dir() / ".." / "shared" / "spec" / "pro-data" / "setting.example.toml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared spec copy at " << path;
  expect_pro_example(path);
}

TEST(ProExample, FixtureLoads) {
  expect_pro_example(source_dir() / "tests" / "fixtures" / "config" / "pro-setting.example.toml");
}

TEST(ProExample, FixtureMatchesSharedSpecCopy) {
  auto shared = source_dir() / ".." / "shared" / "spec" / "pro-data" / "setting.example.toml";
  if (!std::filesystem::exists(shared)) GTEST_SKIP() << "no shared spec copy at " << shared;
  // Same keys and values: both load to the same settings.
  auto fixture = source_dir() / "tests" / "fixtures" / "config" / "pro-setting.example.toml";
  EXPECT_EQ(to_json(load(Sources{shared, {}, ""}).settings, true),
            to_json(load(Sources{fixture, {}, ""}).settings, true));
}

TEST(ExampleFile, LoadsWithoutWarningsAndHoldsTheDefaults) {
  auto loaded = load(Sources{source_dir() / "data" / "setting.example.toml", {}, ""});
  EXPECT_TRUE(loaded.file_found);
  EXPECT_TRUE(loaded.warnings.empty()) << ::testing::PrintToString(loaded.warnings);
  EXPECT_EQ(to_json(loaded.settings, true), to_json(Settings{}, true));
  EXPECT_TRUE(loaded.settings.plugins.entries.empty());
}

TEST(ExampleFile, DocumentsEverySchemaField) {
  auto table = toml::parse_file((source_dir() / "data" / "setting.example.toml").string());
  for (const auto& field : schema()) {
    EXPECT_TRUE(table.at_path(field.name()))
        << field.name() << " is missing from data/setting.example.toml";
  }
}

TEST(UnknownKeys, AreWarningsNamingTheKey) {
  auto loaded = load_text(R"(
[grok]
api_key = "k"
no_such_key = 1
[global]
api_key_list = []
[nonsense]
x = 1
)");
  EXPECT_EQ(loaded.settings.grok.api_key, "k");
  EXPECT_EQ(loaded.warnings.size(), 3u) << ::testing::PrintToString(loaded.warnings);
  EXPECT_TRUE(has_warning(loaded, "unknown key grok.no_such_key (line 4)"));
  EXPECT_TRUE(has_warning(loaded, "global.api_key_list"));
  EXPECT_TRUE(has_warning(loaded, "unknown section [nonsense]"));
}

TEST(UnknownKeys, TopLevelKeyWarns) {
  auto loaded = load_text("stray = 1\n");
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("stray"), std::string::npos);
}

TEST(FileErrors, InvalidTomlNamesTheFileAndLine) {
  testing::TempToml file("[grok]\napi_key = \n");
  auto message = config_error([&] { load(Sources{file.path(), {}, ""}); });
  EXPECT_NE(message.find(file.path().string()), std::string::npos) << message;
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
}

TEST(FileErrors, SectionThatIsNotATable) {
  auto message = config_error([] { load_text("grok = 1\n"); });
  EXPECT_EQ(message.rfind("grok: expected a table", 0), 0u) << message;
}

TEST(Plugins, ListsAndSubTablesAreRead) {
  auto loaded = load_text(R"(
[plugins]
directory = "/opt/plugins"
enabled = ["storage-file", "log-webhook"]
paths = ["/opt/extra/x.so"]

[plugins.log-webhook]
required = true
url = "https://hooks.example.com/x"
retries = 3
ratio = 0.5
tags = ["a", "b"]
headers = { Authorization = "Bearer t" }

[plugins."video-grok-imagine"]
quality = "high"
)");
  EXPECT_TRUE(loaded.warnings.empty()) << ::testing::PrintToString(loaded.warnings);
  const auto& p = loaded.settings.plugins;
  EXPECT_EQ(p.directory, "/opt/plugins");
  EXPECT_EQ(p.enabled, (std::vector<std::string>{"storage-file", "log-webhook"}));
  EXPECT_EQ(p.paths, (std::vector<std::string>{"/opt/extra/x.so"}));
  ASSERT_EQ(p.entries.size(), 2u);

  const auto& hook = p.entries.at("log-webhook");
  EXPECT_TRUE(hook.required);
  auto json = boost::json::parse(hook.config_json).as_object();
  EXPECT_EQ(json.at("required"), true);
  EXPECT_EQ(json.at("url"), "https://hooks.example.com/x");
  EXPECT_EQ(json.at("retries"), 3);
  EXPECT_EQ(json.at("ratio").as_double(), 0.5);
  EXPECT_EQ(json.at("tags"), boost::json::parse(R"(["a","b"])"));
  EXPECT_EQ(json.at("headers").at("Authorization"), "Bearer t");

  const auto& video = p.entries.at("video-grok-imagine");
  EXPECT_FALSE(video.required);
  EXPECT_EQ(boost::json::parse(video.config_json), boost::json::parse(R"({"quality":"high"})"));
}

TEST(Plugins, RequiredMustBeABoolean) {
  auto message = config_error([] { load_text("[plugins.x]\nrequired = \"yes\"\n"); });
  EXPECT_EQ(message, "plugins.x.required: expected a boolean, got \"yes\"");
}

TEST(Plugins, UnknownScalarKeyWarns) {
  auto loaded = load_text("[plugins]\nstray = 1\n");
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("plugins.stray"), std::string::npos);
}

TEST(Plugins, DatesBecomeStrings) {
  auto loaded = load_text("[plugins.x]\nsince = 2026-01-02\n");
  auto json = boost::json::parse(loaded.settings.plugins.entries.at("x").config_json);
  EXPECT_EQ(json.at("since"), "2026-01-02");
}

}  // namespace
}  // namespace g2a::config
