// Access control through the real server: /v1 keys (names, rpm, model allow-list), admin
// login rate limiting, hashed passwords, session expiry, and every /api route but login
// refusing a client without a session.
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "http_client.hpp"
#include "server_process.hpp"
#include "support/test_paths.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKeys = R"(
[grok]
api_key = "sk-main"
upstream_url = "http://127.0.0.1:9"

[[global.api_keys]]
name = "ci"
key = "sk-ci"
rpm = 2

[[global.api_keys]]
name = "app"
key = "sk-app"
models = ["fast", "grok-4-fast"]
)";

std::string bearer(const std::string& key) {
  return "Authorization: Bearer " + key;
}

std::set<std::string> model_ids(const HttpResult& r) {
  std::set<std::string> ids;
  auto v = parse_json(r.body);
  for (const auto& m : v.at("data").as_array()) ids.insert(std::string(m.at("id").as_string()));
  return ids;
}

class AccessControl : public ::testing::Test {
 protected:
  std::unique_ptr<ServerProcess> start(const std::string& toml,
                                       std::map<std::string, std::string> env = {}) {
    return std::make_unique<ServerProcess>(ServerConfig(dir_.str(), toml, {}, std::move(env)));
  }
  std::string login(const ServerProcess& s, const std::string& password) {
    auto r = http_.post_json(s.url("/api/login"),
                             R"({"username":"admin","password":")" + password + R"("})");
    if (r.status != 200) return "";
    return std::string(at(parse_json(r.body), "token").as_string());
  }
  TempDir dir_;
  HttpClient http_;
};

TEST_F(AccessControl, V1NeedsOneOfTheKeys) {
  auto s = start(kKeys);
  EXPECT_TRUE(s->wait_for_output("3 API key(s) guard /v1"));
  auto none = http_.get(s->url("/v1/models"));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(at(parse_json(none.body), "error/code"), "invalid_api_key");
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-nope")}).status, 401);
  for (const char* key : {"sk-main", "sk-ci", "sk-app"})
    EXPECT_EQ(http_.get(s->url("/v1/models/fast"), {bearer(key)}).status, 200) << key;
}

TEST_F(AccessControl, NoKeyLeavesV1OpenWithAWarning) {
  auto s = start("[grok]\nupstream_url = \"http://127.0.0.1:9\"\n");
  EXPECT_TRUE(s->wait_for_output("no API key is set"));
  EXPECT_EQ(http_.get(s->url("/v1/models")).status, 200);
}

TEST_F(AccessControl, RpmLimitAnswers429WithRetryAfterPerKey) {
  auto s = start(kKeys);
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-ci")}).status, 200);
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-ci")}).status, 200);
  auto third = http_.get(s->url("/v1/models"), {bearer("sk-ci")});
  ASSERT_EQ(third.status, 429) << third.body;
  auto v = parse_json(third.body);
  EXPECT_EQ(at(v, "error/code"), "rate_limit_exceeded");
  EXPECT_EQ(at(v, "error/type"), "rate_limit_error");
  ASSERT_TRUE(third.headers.count("retry-after"));
  int retry = std::stoi(third.headers["retry-after"]);
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  // The other keys are not affected.
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-main")}).status, 200);
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-app")}).status, 200);
}

TEST_F(AccessControl, ModelAllowListFiltersModelsAndRefusesOthersWith403) {
  auto s = start(kKeys);
  auto all = http_.get(s->url("/v1/models"), {bearer("sk-main")});
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(model_ids(all).count("grok-4-heavy"));
  auto some = http_.get(s->url("/v1/models"), {bearer("sk-app")});
  ASSERT_EQ(some.status, 200);
  EXPECT_EQ(model_ids(some), (std::set<std::string>{"fast", "grok-4-fast"}));
  EXPECT_EQ(http_.get(s->url("/v1/models/grok-4-heavy"), {bearer("sk-app")}).status, 404);

  auto chat =
      http_.post_json(s->url("/v1/chat/completions"),
                      R"({"model":"grok-4-heavy","messages":[{"role":"user","content":"hi"}]})",
                      {bearer("sk-app")});
  ASSERT_EQ(chat.status, 403) << chat.body;
  auto v = parse_json(chat.body);
  EXPECT_EQ(at(v, "error/type"), "permission_error");
  EXPECT_EQ(at(v, "error/param"), "model");
  EXPECT_EQ(at(v, "error/code"), "model_not_allowed");
  auto image =
      http_.post_json(s->url("/v1/images/generations"),
                      R"({"model":"grok-imagine-image","prompt":"a cat"})", {bearer("sk-app")});
  EXPECT_EQ(image.status, 403) << image.body;
}

TEST_F(AccessControl, InvalidKeyEntryStopsStartUpNamingIt) {
  ServerProcess s(ServerConfig(dir_.str(),
                               "[[global.api_keys]]\nname = \"a\"\nkey = \"k\"\nrpm = \"many\"\n",
                               {"--check-config"}, {}, false));
  EXPECT_EQ(s.wait_exit(), 2);
  EXPECT_NE(s.output().find("global.api_keys[0].rpm: expected an integer >= 0"), std::string::npos)
      << s.output();
}

TEST_F(AccessControl, LoginIsRateLimitedPerClient) {
  auto s = start("[global]\nadmin_password = \"right\"\nlogin_max_failures = 3\n");
  for (int i = 0; i < 3; ++i) {
    auto r = http_.post_json(s->url("/api/login"), R"({"username":"admin","password":"wrong"})");
    EXPECT_EQ(r.status, 401) << i;
  }
  // Even the right password waits now, and so does another user name from this client.
  for (const char* body :
       {R"({"username":"admin","password":"right"})", R"({"username":"other","password":"x"})"}) {
    auto r = http_.post_json(s->url("/api/login"), body);
    ASSERT_EQ(r.status, 429) << r.body;
    auto v = parse_json(r.body);
    EXPECT_EQ(at(v, "success"), false);
    EXPECT_TRUE(at(v, "message").is_string());
    ASSERT_TRUE(r.headers.count("retry-after"));
    EXPECT_GE(std::stoi(r.headers["retry-after"]), 1);
    EXPECT_LE(std::stoi(r.headers["retry-after"]), 900);
  }
}

TEST_F(AccessControl, HashedPasswordLogsIn) {
  // "secret" hashed as `grok2api --hash-password` would, with 1000 iterations.
  auto s = start(
      "[global]\nadmin_password = "
      "\"pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$dClvKSmj66n6MdMWNv3Go4mvH1Ym2WIGiJvquqa+mfE="
      "\"\n");
  EXPECT_EQ(login(*s,
                  "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$"
                  "dClvKSmj66n6MdMWNv3Go4mvH1Ym2WIGiJvquqa+mfE="),
            "");  // the hash itself is not the password
  std::string token = login(*s, "secret");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(http_.get(s->url("/api/settings"), {bearer(token)}).status, 200);
}

// The session documents of the data folder (the file storage), as JSON text.
std::vector<fs::path> files_holding(const fs::path& dir, const std::string& text) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (body.find(text) != std::string::npos) out.push_back(e.path());
  }
  return out;
}

// Sets every "expires_ms" of a JSON document (nested JSON strings too) to value.
void expire_sessions(const fs::path& file, int64_t value) {
  std::ifstream in(file);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  std::regex re(R"((\\?"expires_ms\\?"\s*:\s*)\d+)");
  std::ofstream(file, std::ios::trunc)
      << std::regex_replace(body, re, "$01" + std::to_string(value));
}

TEST_F(AccessControl, SessionsLastTheSettingAndExpire) {
  std::string toml = "[global]\nadmin_password = \"right\"\nadmin_session_ttl = 120\n";
  auto s = start(toml);
  std::string token = login(*s, "right");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(s->stop(SIGTERM), 0);

  auto files = files_holding(dir_.path(), "expires_ms");
  ASSERT_EQ(files.size(), 1u);
  {
    std::ifstream in(files[0]);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::smatch created, expires;
    ASSERT_TRUE(std::regex_search(body, created, std::regex(R"(created_ms\\?"\s*:\s*(\d+))")));
    ASSERT_TRUE(std::regex_search(body, expires, std::regex(R"(expires_ms\\?"\s*:\s*(\d+))")));
    EXPECT_EQ(std::stoll(expires[1]) - std::stoll(created[1]), 120000);
  }
  s = start(toml);
  EXPECT_EQ(http_.get(s->url("/api/settings"), {bearer(token)}).status, 200);
  EXPECT_EQ(s->stop(SIGTERM), 0);

  expire_sessions(files[0], 1);  // as if the TTL had passed
  s = start(toml);
  auto r = http_.get(s->url("/api/settings"), {bearer(token)});
  EXPECT_EQ(r.status, 401);
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "success"), false);
  EXPECT_EQ(at(v, "error/code"), "SESSION_EXPIRED");
}

// Every /api route registered in core/ (found in the sources, so a new route is covered
// the day it is added) refuses a client without a session, except login.
TEST_F(AccessControl, NoApiRouteButLoginWorksWithoutASession) {
  std::regex route_re(R"re(\(\s*"(GET|POST|PUT|PATCH|DELETE)"\s*,\s*"(/api/[^"]*)")re");
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(source_dir()) / "core")) {
    if (e.path().extension() != ".cpp") continue;
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), route_re), end; it != end; ++it)
      routes.insert(
          {(*it)[1], std::regex_replace((*it)[2].str(), std::regex(R"(\{[^}]*\})"), "x")});
  }
  ASSERT_GE(routes.size(), 10u);
  ASSERT_TRUE(routes.count({"POST", "/api/login"}));
  auto s = start("[global]\nadmin_password = \"right\"\n");
  for (const auto& [method, path] : routes) {
    if (path == "/api/login") continue;
    auto r = http_.request(method, s->url(path), method == "GET" ? "" : "{}",
                           {"Content-Type: application/json"});
    EXPECT_EQ(r.status, 401) << method << " " << path << ": " << r.body;
    auto forged = http_.request(method, s->url(path), method == "GET" ? "" : "{}",
                                {"Content-Type: application/json", bearer("not-a-session")});
    EXPECT_EQ(forged.status, 401) << method << " " << path;
    EXPECT_EQ(at(parse_json(r.body), "success"), false) << method << " " << path;
  }
  EXPECT_EQ(login(*s, "right").empty(), false);
}

// The model table from [[models]]: /v1/models reflects it; --check-config names a bad entry.
TEST_F(AccessControl, ModelsSectionShapesV1Models) {
  auto s = start(R"(
[[models]]
id = "house-fast"
mode = "fast"
description = "ours"

[[models]]
id = "grok-4-heavy"
listed = false
)");
  auto r = http_.get(s->url("/v1/models"));
  ASSERT_EQ(r.status, 200);
  auto ids = model_ids(r);
  EXPECT_TRUE(ids.count("house-fast"));
  EXPECT_FALSE(ids.count("grok-4-heavy"));
  EXPECT_TRUE(ids.count("grok-4-fast"));
  auto one = http_.get(s->url("/v1/models/house-fast"));
  EXPECT_EQ(at(parse_json(one.body), "mode"), "fast");
}

TEST_F(AccessControl, CheckConfigNamesABadModelEntry) {
  ServerProcess s(ServerConfig(dir_.str(),
                               "[[models]]\nid = \"a\"\nmode = \"fast\"\n[[models]]\nid = "
                               "\"b\"\nmode = \"warp\"\n",
                               {"--check-config"}, {}, false));
  EXPECT_EQ(s.wait_exit(), 2);
  EXPECT_NE(s.output().find("models[1].mode: expected one of fast"), std::string::npos)
      << s.output();
}

// Keys added through the admin API are masked in answers, and a console that posts the
// masked list back with one more entry keeps the earlier keys.
TEST_F(AccessControl, AdminSettingsSaveKeysAndKeepMaskedOnes) {
  auto s = start("[global]\nadmin_password = \"right\"\n");
  std::string token = login(*s, "right");
  ASSERT_FALSE(token.empty());
  auto save = http_.post_json(
      s->url("/api/settings"),
      R"({"global_config":{"api_keys":[{"name":"ci","key":"sk-ci-secret","rpm":5}]}})",
      {bearer(token)});
  ASSERT_EQ(save.status, 200) << save.body;
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-ci-secret")}).status, 200);
  EXPECT_EQ(http_.get(s->url("/v1/models")).status, 401);

  auto shown = http_.get(s->url("/api/settings"), {bearer(token)});
  EXPECT_EQ(shown.body.find("sk-ci-secret"), std::string::npos);
  auto v = parse_json(shown.body);
  EXPECT_EQ(at(v, "data/global/api_keys/0/key"), "****");
  auto revealed = http_.get(s->url("/api/settings?reveal=true"), {bearer(token)});
  EXPECT_EQ(at(parse_json(revealed.body), "data/global/api_keys/0/key"), "sk-ci-secret");

  boost::json::array keys = at(v, "data/global/api_keys").as_array();
  keys.push_back(boost::json::object{{"name", "app"}, {"key", "sk-app-secret"}});
  boost::json::object body{{"global_config", {{"api_keys", keys}}}};
  auto again =
      http_.post_json(s->url("/api/settings"), boost::json::serialize(body), {bearer(token)});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-ci-secret")}).status, 200);
  EXPECT_EQ(http_.get(s->url("/v1/models"), {bearer("sk-app-secret")}).status, 200);

  auto bad = http_.post_json(
      s->url("/api/settings"),
      R"({"global_config":{"api_keys":[{"name":"x","key":"k"},{"name":"y","key":"k2","rpm":-3}]}})",
      {bearer(token)});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(at(parse_json(bad.body), "error/param"), "global.api_keys[1].rpm") << bad.body;
}

}  // namespace
}  // namespace g2a::test
