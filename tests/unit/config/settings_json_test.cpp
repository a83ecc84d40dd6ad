// schema() and to_json(): every field listed, secrets masked, output that loads back.
#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>

#include "config_test_support.hpp"
#include "core/config/settings.hpp"

namespace g2a::config {
namespace {

Settings with_secrets() {
  Settings s;
  s.grok.api_key = "sk-very-secret";
  s.grok.cf_clearance = "cf-secret";
  s.grok.x_statsig_id = "statsig-secret";
  s.grok.proxy_url = "http://puser:ppass@proxy:8080";
  s.grok.proxy_urls = {"socks5h://a-very-long-user-name:lpass@p2:1080", "http://p3:3128"};
  s.grok.proxy_pool_url = "http://pool.example.com/get?key=poolkey&num=1";
  s.grok.cache_proxy_url = "http://cuser:cpass@cache:1";
  s.global.admin_password = "hunter2";
  s.storage.mode = "mysql";
  s.storage.database_url = "mysql://root:dbpass@db:3306/grok2api";
  return s;
}

TEST(ToJson, MasksSecretsUnlessRevealed) {
  auto s = with_secrets();
  auto text = to_json(s, false);
  for (const char* secret : {"sk-very-secret", "cf-secret", "statsig-secret", "ppass", "lpass",
                             "poolkey", "cpass", "hunter2", "dbpass", "a-very-long-user-name"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaks in " << text;
  }
  auto json = boost::json::parse(text);
  EXPECT_EQ(json.at("grok").at("api_key"), "****");
  EXPECT_EQ(json.at("global").at("admin_password"), "****");
  EXPECT_EQ(json.at("grok").at("proxy_url"), "http://puser:****@proxy:8080");
  EXPECT_EQ(json.at("grok").at("proxy_urls"),
            boost::json::parse(R"(["socks5h://a-ve****:****@p2:1080","http://p3:3128"])"));
  EXPECT_EQ(json.at("grok").at("proxy_pool_url"), "http://pool.example.com/get?****");
  EXPECT_EQ(json.at("storage").at("database_url"), "mysql://root:****@db:3306/grok2api");
  EXPECT_EQ(json.at("global").at("admin_username"), "admin");  // not a secret

  auto revealed = boost::json::parse(to_json(s, true));
  EXPECT_EQ(revealed.at("grok").at("api_key"), "sk-very-secret");
  EXPECT_EQ(revealed.at("storage").at("database_url"), "mysql://root:dbpass@db:3306/grok2api");
}

TEST(ToJson, EmptySecretsStayEmpty) {
  auto json = boost::json::parse(to_json(Settings{}, false));
  EXPECT_EQ(json.at("grok").at("api_key"), "");
  EXPECT_EQ(json.at("grok").at("proxy_url"), "");
}

TEST(ToJson, HoldsEverySchemaFieldWithItsType) {
  auto json = boost::json::parse(to_json(Settings{}, true)).as_object();
  std::set<std::string> sections;
  for (const auto& f : schema()) {
    sections.insert(f.section);
    if (f.key.empty()) {  // [[models]]
      ASSERT_TRUE(json.if_contains(f.section)) << f.section;
      EXPECT_EQ(json.at(f.section), boost::json::parse(f.default_json));
      continue;
    }
    const auto* section = json.if_contains(f.section);
    ASSERT_TRUE(section && section->is_object()) << f.section;
    const auto* value = section->as_object().if_contains(f.key);
    ASSERT_TRUE(value) << f.section << "." << f.key;
    EXPECT_EQ(*value, boost::json::parse(f.default_json)) << f.section << "." << f.key;
  }
  EXPECT_EQ(json.size(), sections.size());
  EXPECT_DOUBLE_EQ(json.at("grok").at("stream_chunk_timeout").as_double(), 120.0);
  EXPECT_EQ(json.at("server").at("port").as_int64(), 8001);
}

TEST(ToJson, RevealedOutputLoadsBackAsSavedSettings) {
  auto s = with_secrets();
  s.grok.retry_status_codes = {500};
  s.grok.stream_chunk_timeout = 0.25;
  s.server.cors_origins = {"*"};
  s.plugins.enabled = {"x"};
  auto text = to_json(s, true);
  auto loaded = testing::load_text("", {}, text);
  EXPECT_EQ(to_json(loaded.settings, true), text);
  EXPECT_TRUE(loaded.warnings.empty()) << ::testing::PrintToString(loaded.warnings);
}

TEST(Schema, ListsEveryKeyOnceWithTypesAndEnvNames) {
  const std::set<std::string> types{"bool",     "integer",   "float",  "string",
                                    "string[]", "integer[]", "table[]"};
  std::set<std::string> names;
  for (const auto& f : schema()) {
    auto name = f.name();
    EXPECT_TRUE(names.insert(name).second) << name << " twice";
    EXPECT_TRUE(types.count(f.type)) << name << ": " << f.type;
    EXPECT_FALSE(f.description.empty()) << name;
    EXPECT_FALSE(f.expected.empty()) << name;
    ASSERT_FALSE(f.env_names.empty()) << name;
    std::string upper = "GROK2API_" + f.section + (f.key.empty() ? "" : "_" + f.key);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(f.env_names.front(), upper);
  }
  // Every field of settings.hpp (plugin entries aside), with [[models]], the nine of
  // [video], storage.sync_interval and global.log_queue_max.
  EXPECT_EQ(names.size(), 87u);
}

TEST(Schema, SecretFlags) {
  std::set<std::string> secrets;
  for (const auto& f : schema()) {
    if (f.secret) secrets.insert(f.section + "." + f.key);
  }
  EXPECT_EQ(secrets, (std::set<std::string>{"grok.api_key", "grok.proxy_url", "grok.proxy_urls",
                                            "grok.proxy_pool_url", "grok.cache_proxy_url",
                                            "grok.proxy_health_url", "grok.cf_clearance",
                                            "grok.x_statsig_id", "global.admin_password",
                                            "global.api_keys", "storage.database_url"}));
}

TEST(Schema, DefaultsAreJson) {
  for (const auto& f : schema()) {
    boost::system::error_code ec;
    boost::json::parse(f.default_json, ec);
    EXPECT_FALSE(ec) << f.section << "." << f.key << ": " << f.default_json;
  }
}

}  // namespace
}  // namespace g2a::config
