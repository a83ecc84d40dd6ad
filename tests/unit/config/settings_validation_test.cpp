// Wrong types and impossible values stop loading with a message naming the key; values
// that have a canonical form (enumerations, proxy URLs, cf_clearance) are normalised.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fmt/format.h>

#include "config_test_support.hpp"
#include "core/config/settings.hpp"

namespace g2a::config {
namespace {

using testing::config_error;
using testing::load_text;

std::string error_for(const std::string& section, const std::string& line) {
  return config_error([&] { load_text(fmt::format("[{}]\n{}\n", section, line)); });
}

TEST(WrongType, MessageNamesKeyAndExpectation) {
  EXPECT_EQ(error_for("global", "log_max_count = \"abc\""),
            "global.log_max_count: expected an integer >= 0, got \"abc\"");
  EXPECT_EQ(error_for("grok", "show_thinking = \"yes\""),
            "grok.show_thinking: expected a boolean, got \"yes\"");
  EXPECT_EQ(error_for("grok", "retry_status_codes = 429"),
            "grok.retry_status_codes: expected an array of HTTP status codes 100..599, got 429");
  EXPECT_EQ(error_for("server", "cors_origins = [\"a\", 1]"),
            "server.cors_origins: expected an array of strings, got [\"a\", 1]");
}

TEST(WrongType, ErrorCarriesTheKey) {
  try {
    load_text("[server]\nport = \"x\"\n");
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "server.port");
  }
}

TEST(WrongType, FloatWhereIntegerIsExpectedIsAnError) {
  EXPECT_EQ(error_for("global", "log_max_count = 3.0"),
            "global.log_max_count: expected an integer >= 0, got 3.0");
}

TEST(WrongType, IntegerWhereFloatIsExpectedIsFine) {
  auto loaded = load_text("[grok]\nstream_chunk_timeout = 7\n[global]\nbatch_save_interval = 2\n");
  EXPECT_DOUBLE_EQ(loaded.settings.grok.stream_chunk_timeout, 7.0);
  EXPECT_DOUBLE_EQ(loaded.settings.global.batch_save_interval, 2.0);
}

TEST(WrongType, SecretValuesAreNotEchoed) {
  auto message = error_for("global", "admin_password = 123456");
  EXPECT_EQ(message.rfind("global.admin_password: expected a password", 0), 0u) << message;
  EXPECT_TRUE(message.ends_with(", got an integer")) << message;
  message = error_for("grok", "proxy_url = \"ftp://user:hunter2@h:1\"");
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_NE(message.find("grok.proxy_url"), std::string::npos) << message;
}

TEST(Impossible, Ranges) {
  EXPECT_EQ(error_for("server", "port = 70000"),
            "server.port: expected an integer 0..65535, got 70000");
  EXPECT_NE(error_for("server", "port = -1"), "");
  EXPECT_NE(error_for("server", "workers = -1"), "");
  EXPECT_EQ(error_for("global", "max_body_mb = 0"),
            "global.max_body_mb: expected an integer 1..4096, got 0");
  EXPECT_NE(error_for("global", "max_body_mb = 4097"), "");
  EXPECT_EQ(error_for("grok", "stream_total_timeout = 0"),
            "grok.stream_total_timeout: expected a number > 0, got 0");
  EXPECT_NE(error_for("server", "request_timeout = -1.5"), "");
  EXPECT_NE(error_for("grok", "stream_chunk_timeout = nan"), "");
  EXPECT_NE(error_for("grok", "stream_chunk_timeout = inf"), "");
  EXPECT_NE(error_for("grok", "retry_status_codes = [401, 600]"), "");
  EXPECT_NE(error_for("grok", "max_upload_concurrency = 0"), "");
  EXPECT_EQ(error_for("server", "host = \" \""),
            "server.host: expected a non-empty string, got \" \"");
}

TEST(Impossible, BoundariesAreAccepted) {
  auto loaded = load_text(R"(
[server]
port = 0
workers = 0
[global]
max_body_mb = 4096
log_max_count = 0
token_refresh_interval = -1
)");
  EXPECT_EQ(loaded.settings.server.port, 0);
  EXPECT_EQ(loaded.settings.global.max_body_mb, 4096);
  EXPECT_EQ(loaded.settings.global.token_refresh_interval, -1);
}

TEST(Enumerations, AreCaseInsensitiveAndNormalised) {
  auto loaded = load_text(R"(
[global]
image_mode = "BASE64"
log_level = "warning"
token_refresh_scope = "All"
[storage]
mode = "Redis"
database_url = "redis://:pw@cache:6379/0"
)");
  EXPECT_EQ(loaded.settings.global.image_mode, "base64");
  EXPECT_EQ(loaded.settings.global.log_level, "WARNING");
  EXPECT_EQ(loaded.settings.global.token_refresh_scope, "all");
  EXPECT_EQ(loaded.settings.storage.mode, "redis");
}

TEST(Enumerations, UnknownValuesAreErrors) {
  EXPECT_EQ(error_for("global", "image_mode = \"jpeg\""),
            "global.image_mode: expected one of url, base64, got \"jpeg\"");
  EXPECT_NE(error_for("global", "log_level = \"verbose\"")
                .find("global.log_level: expected one of "
                      "TRACE, DEBUG, INFO, WARN, WARNING"),
            std::string::npos);
  EXPECT_NE(error_for("global", "token_refresh_scope = \"some\""), "");
  EXPECT_NE(error_for("storage", "mode = \"postgres\""), "");
}

TEST(Storage, DatabaseModesNeedAUrl) {
  EXPECT_EQ(error_for("storage", "mode = \"mysql\""),
            "storage.database_url: expected a database URL when storage.mode is mysql, got \"\"");
  EXPECT_NE(error_for("storage", "database_url = \"not a url\""), "");
}

TEST(Urls, UpstreamAndAssetsMustBeHttp) {
  EXPECT_EQ(error_for("grok", "upstream_url = \"grok.com\""),
            "grok.upstream_url: expected an http:// or https:// URL, got \"grok.com\"");
  EXPECT_NE(error_for("grok", "assets_url = \"\""), "");
  EXPECT_NE(error_for("grok", "assets_url = \"ftp://assets\""), "");
  EXPECT_EQ(error_for("grok", "accounts_url = \"accounts.x.ai\""),
            "grok.accounts_url: expected an http:// or https:// URL, got \"accounts.x.ai\"");
  auto loaded = load_text(
      "[grok]\nupstream_url = \"HTTP://127.0.0.1:9000/\"\nassets_url = \"https://a.test/x/\"\n"
      "[global]\nbase_url = \"https://api.example.com/\"\n");
  EXPECT_EQ(loaded.settings.grok.upstream_url, "http://127.0.0.1:9000");
  EXPECT_EQ(loaded.settings.grok.assets_url, "https://a.test/x");
  EXPECT_EQ(loaded.settings.global.base_url, "https://api.example.com");
  EXPECT_EQ(load_text("[global]\nbase_url = \"\"\n").settings.global.base_url, "");
}

struct ProxyCase {
  const char* input;
  const char* normalised;  // nullptr = rejected
};

TEST(ProxyUrls, AreValidatedAndNormalised) {
  const ProxyCase cases[] = {
      {"", ""},
      {"http://127.0.0.1:7890", "http://127.0.0.1:7890"},
      {"https://proxy.example.com:443", "https://proxy.example.com:443"},
      // socks5 becomes socks5h, as the Pro service stored it (its proxy_state.json keys).
      {"socks5://h:1080", "socks5h://h:1080"},
      {"socks5h://h:1080", "socks5h://h:1080"},
      {"sock5://h:1080", "socks5h://h:1080"},
      {"sock5h://h:1080", "socks5h://h:1080"},
      {"SOCKS5://h:1080", "socks5h://h:1080"},
      {"1.2.3.4:8080", "http://1.2.3.4:8080"},
      {"proxy.local:3128", "http://proxy.local:3128"},
      {"user:pass@1.2.3.4:8080", "http://user:pass@1.2.3.4:8080"},
      {"http://user:p@ss@h:1/", "http://user:p@ss@h:1"},
      {"  http://h:1  ", "http://h:1"},
      {"http://[::1]:8080", "http://[::1]:8080"},
      {"http://proxy.example.com", "http://proxy.example.com"},
      {"ftp://h:21", nullptr},
      {"h", nullptr},
      {"h:", nullptr},
      {"http://h:0", nullptr},
      {"http://h:65536", nullptr},
      {"http://h:1/path", nullptr},
      {"http://:1", nullptr},
      {"socks4://h:1", nullptr},
      {"http://h h:1", nullptr},
  };
  for (const auto& c : cases) {
    for (const char* key : {"proxy_url", "cache_proxy_url"}) {
      auto text = fmt::format("[grok]\n{} = \"{}\"\n", key, c.input);
      if (c.normalised) {
        auto loaded = load_text(text);
        const auto& g = loaded.settings.grok;
        EXPECT_EQ(std::string(key) == "proxy_url" ? g.proxy_url : g.cache_proxy_url, c.normalised)
            << key << " = " << c.input;
      } else {
        EXPECT_NE(config_error([&] { load_text(text); }).find(std::string("grok.") + key),
                  std::string::npos)
            << key << " = " << c.input;
      }
    }
  }
}

TEST(ProxyUrls, ListIsNormalisedAndEmptyEntriesDropped) {
  auto loaded = load_text("[grok]\nproxy_urls = [\"sock5://a:1\", \"\", \"b:2\"]\n");
  EXPECT_EQ(loaded.settings.grok.proxy_urls,
            (std::vector<std::string>{"socks5h://a:1", "http://b:2"}));
  EXPECT_NE(error_for("grok", "proxy_urls = [\"http://a:1\", \"bad\"]"), "");
}

TEST(ProxyUrls, PoolUrlTakesApiUrlsAndSocksProxies) {
  auto pool = [](const std::string& value) {
    return load_text(fmt::format("[grok]\nproxy_pool_url = \"{}\"\n", value))
        .settings.grok.proxy_pool_url;
  };
  EXPECT_EQ(pool("http://pool.example.com/get?key=abc&num=1"),
            "http://pool.example.com/get?key=abc&num=1");
  EXPECT_EQ(pool("sock5h://h:1080"), "socks5h://h:1080");
  EXPECT_EQ(pool(""), "");
  EXPECT_NE(error_for("grok", "proxy_pool_url = \"pool.example.com/get\""), "");
}

// Any host:port, in any accepted spelling, normalises to one canonical URL, and the
// canonical URL is a fixed point.
RC_GTEST_PROP(ProxyUrls, NormalisationIsCanonical, ()) {
  const auto host = *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::oneOf(
      rc::gen::inRange('a', static_cast<char>('z' + 1)),
      rc::gen::inRange('0', static_cast<char>('9' + 1)), rc::gen::element('.', '-'))));
  const auto port = *rc::gen::inRange(1, 65536);
  const auto spelling = *rc::gen::element<std::string>("", "http://", "sock5://", "sock5h://",
                                                       "socks5://", "SOCKS5H://");
  const std::string expected_scheme = spelling == "" || spelling == "http://" ? "http" : "socks5h";
  const auto input = fmt::format("{}{}:{}", spelling, host, port);
  const auto expected = fmt::format("{}://{}:{}", expected_scheme, host, port);
  auto once = load_text(fmt::format("[grok]\nproxy_url = \"{}\"\n", input)).settings.grok.proxy_url;
  RC_ASSERT(once == expected);
  auto twice = load_text(fmt::format("[grok]\nproxy_url = \"{}\"\n", once)).settings.grok.proxy_url;
  RC_ASSERT(twice == once);
}

TEST(CfClearance, PrefixIsStripped) {
  auto loaded = load_text("[grok]\ncf_clearance = \"cf_clearance=abc.def-123\"\n");
  EXPECT_EQ(loaded.settings.grok.cf_clearance, "abc.def-123");
  loaded = load_text("[grok]\ncf_clearance = \"abc\"\n");
  EXPECT_EQ(loaded.settings.grok.cf_clearance, "abc");
}

TEST(TimeZone, MustExistUnderZoneinfo) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Paris")) {
    GTEST_SKIP() << "no tzdata on this machine";
  }
  EXPECT_EQ(load_text("[global]\ntime_zone = \"Europe/Paris\"\n").settings.global.time_zone,
            "Europe/Paris");
  EXPECT_EQ(load_text("[global]\ntime_zone = \"UTC\"\n").settings.global.time_zone, "UTC");
  EXPECT_NE(error_for("global", "time_zone = \"Mars/Olympus_Mons\"").find("global.time_zone"),
            std::string::npos);
  EXPECT_NE(error_for("global", "time_zone = \"\""), "");
  EXPECT_NE(error_for("global", "time_zone = \"../../etc/passwd\""), "");
  EXPECT_NE(error_for("global", "time_zone = \"/etc/localtime\""), "");
  EXPECT_NE(error_for("global", "time_zone = \"Europe\""), "");  // a folder
}

TEST(TimeZone, TzdirFromTheEnvironmentIsUsed) {
  testing::TempToml zone("TZif");
  auto dir = zone.path().parent_path().string();
  auto name = zone.path().filename().string();
  auto loaded =
      testing::load_text(fmt::format("[global]\ntime_zone = \"{}\"\n", name), {{"TZDIR", dir}});
  EXPECT_EQ(loaded.settings.global.time_zone, name);
}

RC_GTEST_PROP(Ranges, PortAcceptsExactlyZeroTo65535, (int64_t port)) {
  auto message = config_error([&] { load_text(fmt::format("[server]\nport = {}\n", port)); });
  if (port >= 0 && port <= 65535) {
    RC_ASSERT(message.empty());
  } else {
    RC_ASSERT(message == fmt::format("server.port: expected an integer 0..65535, got {}", port));
  }
}

}  // namespace
}  // namespace g2a::config

namespace g2a::config {
namespace {

// grok.allow_direct takes the words auto/true/false and TOML or JSON booleans (issue 6).
TEST(AllowDirect, TakesWordsAndBooleans) {
  auto value = [](const std::string& line) {
    return testing::load_text("[grok]\n" + line + "\n").settings.grok.allow_direct;
  };
  EXPECT_EQ(testing::load_text("").settings.grok.allow_direct, "auto");
  EXPECT_EQ(value("allow_direct = true"), "true");
  EXPECT_EQ(value("allow_direct = false"), "false");
  EXPECT_EQ(value("allow_direct = \"AUTO\""), "auto");
  EXPECT_EQ(value("allow_direct = \" False \""), "false");
  EXPECT_EQ(
      testing::load_text("", {{"GROK2API_GROK_ALLOW_DIRECT", "true"}}).settings.grok.allow_direct,
      "true");
  EXPECT_EQ(
      testing::load_text("", {}, R"({"grok":{"allow_direct":false}})").settings.grok.allow_direct,
      "false");
  EXPECT_EQ(error_for("grok", "allow_direct = \"maybe\""),
            "grok.allow_direct: expected one of auto, true, false, got \"maybe\"");
  EXPECT_EQ(error_for("grok", "allow_direct = 1"),
            "grok.allow_direct: expected one of auto, true, false, got 1");
  // Other string settings still refuse a boolean.
  EXPECT_NE(error_for("grok", "user_agent = true"), "");
}

TEST(ProxyHealth, KeysHaveTheirDefaultsAndBounds) {
  const auto& g = testing::load_text("").settings.grok;
  EXPECT_EQ(g.proxy_max_failures, 3);
  EXPECT_EQ(g.proxy_health_interval, 60);
  EXPECT_EQ(g.proxy_health_url, "");
  EXPECT_EQ(g.clearance_provider, "");
  EXPECT_NE(error_for("grok", "proxy_max_failures = 0"), "");
  EXPECT_NE(error_for("grok", "proxy_health_interval = -1"), "");
  EXPECT_NE(error_for("grok", "proxy_health_url = \"ftp://x\""), "");
}

}  // namespace
}  // namespace g2a::config
