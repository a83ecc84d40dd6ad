// Environment and saved overrides: precedence, bare names, typed parsing, pinned keys.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "config_test_support.hpp"
#include "core/config/settings.hpp"

namespace g2a::config {
namespace {

using testing::config_error;
using testing::has_warning;
using testing::load_env;
using testing::load_text;

TEST(Env, PrefixedNameOverridesFileAndPinsTheKey) {
  auto loaded = load_text("[global]\nlog_max_count = 5\n[server]\nport = 9000\n",
                          {{"GROK2API_GLOBAL_LOG_MAX_COUNT", "7"}});
  EXPECT_EQ(loaded.settings.global.log_max_count, 7);
  EXPECT_EQ(loaded.settings.server.port, 9000);
  EXPECT_EQ(loaded.pinned, (std::set<std::string>{"global.log_max_count"}));
}

struct BareCase {
  const char* env;
  const char* value;
  const char* key;
};

TEST(Env, BareNamesOfTheProForksAndTheSeed) {
  const BareCase cases[] = {
      {"API_KEY", "sk-1", "grok.api_key"},
      {"PROXY_URL", "sock5://p:1", "grok.proxy_url"},
      {"PROXY_URLS", "http://a:1,http://b:2", "grok.proxy_urls"},
      {"PROXY_POOL_URL", "http://pool/get", "grok.proxy_pool_url"},
      {"X_STATSIG_ID", "sig", "grok.x_statsig_id"},
      {"CF_CLEARANCE", "cf_clearance=cf", "grok.cf_clearance"},
      {"ADMIN_PASSWORD", "pw1", "global.admin_password"},
      {"PASSWORD", "pw2", "global.admin_password"},
      {"BASE_URL", "https://api.example.com", "global.base_url"},
      {"LOG_LEVEL", "debug", "global.log_level"},
      {"HOST", "127.0.0.1", "server.host"},
      {"PORT", "8080", "server.port"},
      {"WORKERS", "3", "server.workers"},
      {"STORAGE_MODE", "file", "storage.mode"},
      {"DATABASE_URL", "mysql://u:p@db:3306/g", "storage.database_url"},
  };
  for (const auto& c : cases) {
    auto loaded = load_env({{c.env, c.value}});
    EXPECT_EQ(loaded.pinned, (std::set<std::string>{c.key})) << c.env;
  }
  auto s = load_env({{"API_KEY", "sk-1"},
                     {"PROXY_URL", "sock5://p:1"},
                     {"PROXY_URLS", "http://a:1, b:2"},
                     {"CF_CLEARANCE", "cf_clearance=cf"},
                     {"LOG_LEVEL", "debug"},
                     {"PORT", "8080"},
                     {"WORKERS", "3"},
                     {"STORAGE_MODE", "MYSQL"},
                     {"DATABASE_URL", "mysql://u:p@db:3306/g"}})
               .settings;
  EXPECT_EQ(s.grok.api_key, "sk-1");
  EXPECT_EQ(s.grok.proxy_url, "socks5h://p:1");
  EXPECT_EQ(s.grok.proxy_urls, (std::vector<std::string>{"http://a:1", "http://b:2"}));
  EXPECT_EQ(s.grok.cf_clearance, "cf");
  EXPECT_EQ(s.global.log_level, "DEBUG");
  EXPECT_EQ(s.server.port, 8080);
  EXPECT_EQ(s.server.workers, 3);
  EXPECT_EQ(s.storage.mode, "mysql");
  EXPECT_EQ(s.storage.database_url, "mysql://u:p@db:3306/g");
}

TEST(Env, PrefixedBeatsBareAndAdminPasswordBeatsPassword) {
  auto s = load_env({{"GROK2API_SERVER_PORT", "1"}, {"PORT", "2"}}).settings;
  EXPECT_EQ(s.server.port, 1);
  s = load_env({{"ADMIN_PASSWORD", "a"}, {"PASSWORD", "b"}}).settings;
  EXPECT_EQ(s.global.admin_password, "a");
}

TEST(Env, ArraysAsTomlOrCommaLists) {
  auto s = load_env({{"GROK2API_GROK_PROXY_URLS", R"(["http://a:1", "sock5://b:2"])"},
                     {"GROK2API_GROK_RETRY_STATUS_CODES", "[500, 502]"},
                     {"GROK2API_SERVER_CORS_ORIGINS", " https://x.test , https://y.test "},
                     {"GROK2API_PLUGINS_ENABLED", "[]"}})
               .settings;
  EXPECT_EQ(s.grok.proxy_urls, (std::vector<std::string>{"http://a:1", "socks5h://b:2"}));
  EXPECT_EQ(s.grok.retry_status_codes, (std::vector<int64_t>{500, 502}));
  EXPECT_EQ(s.server.cors_origins, (std::vector<std::string>{"https://x.test", "https://y.test"}));
  EXPECT_TRUE(s.plugins.enabled.empty());
  s = load_env({{"GROK2API_GROK_RETRY_STATUS_CODES", "403,429"}}).settings;
  EXPECT_EQ(s.grok.retry_status_codes, (std::vector<int64_t>{403, 429}));
  EXPECT_NE(config_error([] { load_env({{"GROK2API_GROK_RETRY_STATUS_CODES", "[\"a\"]"}}); }), "");
  EXPECT_NE(config_error([] { load_env({{"GROK2API_GROK_PROXY_URLS", "[unclosed"}}); }), "");
}

TEST(Env, BoolsAndNumbers) {
  auto s = load_env({{"GROK2API_GROK_SHOW_THINKING", "0"},
                     {"GROK2API_GROK_TEMPORARY", "FALSE"},
                     {"GROK2API_GROK_DYNAMIC_STATSIG", "1"},
                     {"GROK2API_GROK_STREAM_CHUNK_TIMEOUT", "2.5"},
                     {"GROK2API_GLOBAL_BATCH_SAVE_INTERVAL", "3"}})
               .settings;
  EXPECT_FALSE(s.grok.show_thinking);
  EXPECT_FALSE(s.grok.temporary);
  EXPECT_TRUE(s.grok.dynamic_statsig);
  EXPECT_DOUBLE_EQ(s.grok.stream_chunk_timeout, 2.5);
  EXPECT_DOUBLE_EQ(s.global.batch_save_interval, 3.0);
  EXPECT_NE(config_error([] { load_env({{"GROK2API_GROK_TEMPORARY", "yes"}}); }), "");
  EXPECT_NE(config_error([] { load_env({{"GROK2API_GLOBAL_LOG_MAX_COUNT", "1.5"}}); }), "");
  EXPECT_NE(config_error([] { load_env({{"GROK2API_GLOBAL_LOG_MAX_COUNT", "12abc"}}); }), "");
}

TEST(Env, BadValueNamesTheVariableAndTheKey) {
  EXPECT_EQ(config_error([] {
              load_env({{"PORT", "abc"}});
            }),
            "server.port: expected an integer 0..65535, got \"abc\" (from environment variable "
            "PORT)");
  EXPECT_EQ(config_error([] {
              load_env({{"GROK2API_SERVER_PORT", "70000"}});
            }),
            "server.port: expected an integer 0..65535, got \"70000\" (from environment variable "
            "GROK2API_SERVER_PORT)");
}

TEST(Env, EmptyVariableCountsAsUnset) {
  auto loaded =
      load_text("[grok]\nproxy_url = \"http://p:1\"\n", {{"PROXY_URL", ""}, {"PORT", ""}});
  EXPECT_EQ(loaded.settings.grok.proxy_url, "http://p:1");
  EXPECT_TRUE(loaded.pinned.empty());
}

TEST(Env, UnknownPrefixedNameWarns) {
  auto loaded = load_env({{"GROK2API_GROK_API_KYE", "x"}, {"GROK2API_CONFIG", "/etc/x"}});
  EXPECT_EQ(loaded.warnings.size(), 1u) << ::testing::PrintToString(loaded.warnings);
  EXPECT_TRUE(has_warning(loaded, "GROK2API_GROK_API_KYE"));
}

TEST(Saved, OverridesFileButNotEnvironment) {
  auto loaded = load_text(
      "[grok]\napi_key = \"file\"\nmax_tls_retries = 5\n[global]\nlog_max_count = 1\n",
      {{"API_KEY", "env"}}, R"({"grok":{"api_key":"saved","max_tls_retries":6},"global":{}})");
  EXPECT_EQ(loaded.settings.grok.api_key, "env");
  EXPECT_EQ(loaded.settings.grok.max_tls_retries, 6);
  EXPECT_EQ(loaded.settings.global.log_max_count, 1);
  EXPECT_EQ(loaded.pinned, (std::set<std::string>{"grok.api_key"}));
}

TEST(Saved, ValidatedLikeFileValues) {
  EXPECT_EQ(config_error([] { load_text("", {}, R"({"server":{"port":70000}})"); }),
            "server.port: expected an integer 0..65535, got 70000 (from saved settings)");
  EXPECT_NE(config_error([] { load_text("", {}, R"({"global":{"log_max_count":1.5}})"); }), "");
  EXPECT_NE(config_error([] { load_text("", {}, R"({"global":[]})"); }), "");
  EXPECT_NE(config_error([] { load_text("", {}, "{not json"); }), "");
  EXPECT_NE(config_error([] { load_text("", {}, "[]"); }), "");
  auto s = load_text("", {}, R"({"grok":{"cf_clearance":"cf_clearance=x","proxy_url":"h:1",
                                 "stream_chunk_timeout":9},"global":{"image_mode":"BASE64"}})")
               .settings;
  EXPECT_EQ(s.grok.cf_clearance, "x");
  EXPECT_EQ(s.grok.proxy_url, "http://h:1");
  EXPECT_DOUBLE_EQ(s.grok.stream_chunk_timeout, 9.0);
  EXPECT_EQ(s.global.image_mode, "base64");
}

TEST(Saved, UnknownKeysAndSectionsWarn) {
  auto loaded = load_text("", {}, R"({"grok":{"nope":1},"gloabl":{}})");
  EXPECT_EQ(loaded.warnings.size(), 2u);
  EXPECT_TRUE(has_warning(loaded, "grok.nope"));
  EXPECT_TRUE(has_warning(loaded, "gloabl"));
}

// --- property: whatever the file and saved settings say, the environment wins ------------

std::string toml_or_json_list(const std::vector<std::string>& list) {
  boost::json::array a(list.begin(), list.end());
  return boost::json::serialize(a);  // a JSON array of strings is also a TOML array
}

std::string int_list(const std::vector<int64_t>& list) {
  return boost::json::serialize(boost::json::array(list.begin(), list.end()));
}

std::string quoted(const std::string& s) {
  return boost::json::serialize(boost::json::value(s));
}

struct Layer {
  bool show_thinking;
  int64_t log_max_count;
  double chunk_timeout;
  std::string admin_username;
  std::vector<std::string> cors_origins;
  std::vector<int64_t> retry_codes;
};

rc::Gen<std::string> printable() {
  return rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1));
}

rc::Gen<Layer> layer() {
  return rc::gen::build<Layer>(
      rc::gen::set(&Layer::show_thinking),
      rc::gen::set(&Layer::log_max_count, rc::gen::inRange<int64_t>(0, INT64_MAX)),
      rc::gen::set(&Layer::chunk_timeout,
                   rc::gen::map(rc::gen::inRange(1, 1000000),
                                [](int n) { return static_cast<double>(n) / 64.0; })),
      rc::gen::set(&Layer::admin_username, rc::gen::nonEmpty(printable())),
      rc::gen::set(&Layer::cors_origins, rc::gen::container<std::vector<std::string>>(printable())),
      rc::gen::set(&Layer::retry_codes,
                   rc::gen::container<std::vector<int64_t>>(rc::gen::inRange<int64_t>(100, 600))));
}

RC_GTEST_PROP(Precedence, EnvironmentAlwaysWins, ()) {
  const auto file = *layer();
  const auto saved = *layer();
  const auto env = *layer();
  auto toml = fmt::format(
      "[grok]\nshow_thinking = {}\nstream_chunk_timeout = {}\nretry_status_codes = {}\n"
      "[global]\nlog_max_count = {}\nadmin_username = {}\n[server]\ncors_origins = {}\n",
      file.show_thinking, fmt::format("{:.6f}", file.chunk_timeout), int_list(file.retry_codes),
      file.log_max_count, quoted(file.admin_username), toml_or_json_list(file.cors_origins));
  auto saved_json = fmt::format(
      R"({{"grok":{{"show_thinking":{},"stream_chunk_timeout":{},"retry_status_codes":{}}},)"
      R"("global":{{"log_max_count":{},"admin_username":{}}},"server":{{"cors_origins":{}}}}})",
      saved.show_thinking, saved.chunk_timeout, int_list(saved.retry_codes), saved.log_max_count,
      quoted(saved.admin_username), toml_or_json_list(saved.cors_origins));
  std::map<std::string, std::string> vars{
      {"GROK2API_GROK_SHOW_THINKING",
       *rc::gen::element<std::string>(env.show_thinking ? "true" : "false",
                                      env.show_thinking ? "1" : "0")},
      {"GROK2API_GROK_STREAM_CHUNK_TIMEOUT", fmt::format("{}", env.chunk_timeout)},
      {"GROK2API_GROK_RETRY_STATUS_CODES", int_list(env.retry_codes)},
      {"GROK2API_GLOBAL_LOG_MAX_COUNT", std::to_string(env.log_max_count)},
      {"GROK2API_GLOBAL_ADMIN_USERNAME", env.admin_username},
      {"GROK2API_SERVER_CORS_ORIGINS", toml_or_json_list(env.cors_origins)},
  };
  auto loaded = load_text(toml, vars, saved_json);
  const auto& s = loaded.settings;
  RC_ASSERT(s.grok.show_thinking == env.show_thinking);
  RC_ASSERT(s.grok.stream_chunk_timeout == env.chunk_timeout);
  RC_ASSERT(s.grok.retry_status_codes == env.retry_codes);
  RC_ASSERT(s.global.log_max_count == env.log_max_count);
  RC_ASSERT(s.global.admin_username == env.admin_username);
  RC_ASSERT(s.server.cors_origins == env.cors_origins);
  RC_ASSERT(loaded.pinned ==
            (std::set<std::string>{"grok.show_thinking", "grok.stream_chunk_timeout",
                                   "grok.retry_status_codes", "global.log_max_count",
                                   "global.admin_username", "server.cors_origins"}));
  // Without the environment, saved settings win over the file.
  auto unpinned = load_text(toml, {}, saved_json);
  RC_ASSERT(unpinned.settings.global.log_max_count == saved.log_max_count);
  RC_ASSERT(unpinned.settings.global.admin_username == saved.admin_username);
  RC_ASSERT(unpinned.settings.server.cors_origins == saved.cors_origins);
  RC_ASSERT(unpinned.pinned.empty());
}

}  // namespace
}  // namespace g2a::config
