// Admin login and settings: saved through the store, surviving restarts, masked,
// pinned by the environment.
#include <gtest/gtest.h>

#include <signal.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {

std::string login(HttpClient& http, const ServerProcess& s, const std::string& password = "admin") {
  auto r = http.post_json(s.url("/api/login"),
                          R"({"username":"admin","password":")" + password + R"("})");
  if (r.status != 200) return "";
  return std::string(at(parse_json(r.body), "token").as_string());
}

class AdminSettings : public ::testing::Test {
 protected:
  std::unique_ptr<ServerProcess> start(std::map<std::string, std::string> env = {}) {
    return std::make_unique<ServerProcess>(ServerConfig(dir_.str(), "", {}, std::move(env)));
  }
  TempDir dir_;
  HttpClient http_;
};

TEST_F(AdminSettings, LoginIssuesASessionAndWrongPasswordIs401) {
  auto s = start();
  auto bad = http_.post_json(s->url("/api/login"), R"({"username":"admin","password":"nope"})");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(at(parse_json(bad.body), "success"), false);
  std::string token = login(http_, *s);
  ASSERT_FALSE(token.empty());
  auto noauth = http_.get(s->url("/api/settings"));
  EXPECT_EQ(noauth.status, 401);
  EXPECT_EQ(at(parse_json(noauth.body), "error/code"), "UNAUTHORIZED");
  auto ok = http_.get(s->url("/api/settings"), {"Authorization: Bearer " + token});
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto logout =
      http_.request("POST", s->url("/api/logout"), "", {"Authorization: Bearer " + token});
  EXPECT_EQ(logout.status, 200);
  auto after = http_.get(s->url("/api/settings"), {"Authorization: Bearer " + token});
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(at(parse_json(after.body), "error/code"), "SESSION_INVALID");
}

TEST_F(AdminSettings, SessionsAndSavedSettingsSurviveARestart) {
  auto s = start();
  std::string token = login(http_, *s);
  auto save = http_.post_json(
      s->url("/api/settings"),
      R"({"global_config":{"log_max_count":1234},"grok_config":{"show_thinking":false}})",
      {"Authorization: Bearer " + token});
  ASSERT_EQ(save.status, 200) << save.body;
  EXPECT_EQ(s->stop(SIGTERM), 0);

  s = start();
  auto r = http_.get(s->url("/api/settings"), {"Authorization: Bearer " + token});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "data/global/log_max_count"), 1234);
  EXPECT_EQ(at(v, "data/grok/show_thinking"), false);
}

TEST_F(AdminSettings, InvalidValueIs400NamingTheKey) {
  auto s = start();
  std::string token = login(http_, *s);
  auto r = http_.post_json(s->url("/api/settings"), R"({"global_config":{"image_mode":"gif"}})",
                           {"Authorization: Bearer " + token});
  EXPECT_EQ(r.status, 400);
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "error/param"), "global.image_mode") << r.body;
  EXPECT_EQ(at(v, "success"), false);
}

TEST_F(AdminSettings, SecretsAreMaskedAndARoundTripKeepsThem) {
  auto s = start({{"API_KEY", "sk-very-secret-key"}});
  std::string token = login(http_, *s);
  auto r = http_.get(s->url("/api/settings"), {"Authorization: Bearer " + token});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("sk-very-secret-key"), std::string::npos) << r.body;
  auto v = parse_json(r.body);
  bool pinned = false;
  for (const auto& k : at(v, "pinned").as_array()) pinned |= k == "grok.api_key";
  EXPECT_TRUE(pinned);
  // Posting back what GET showed changes nothing, even for the pinned key.
  boost::json::object post;
  post["grok_config"] = at(v, "data/grok");
  auto back = http_.post_json(s->url("/api/settings"), boost::json::serialize(post),
                              {"Authorization: Bearer " + token});
  EXPECT_EQ(back.status, 200) << back.body;
  // Changing a pinned key is refused.
  auto change = http_.post_json(s->url("/api/settings"), R"({"grok_config":{"api_key":"other"}})",
                                {"Authorization: Bearer " + token});
  EXPECT_EQ(change.status, 400);
  EXPECT_EQ(at(parse_json(change.body), "error/param"), "grok.api_key");
  auto revealed =
      http_.get(s->url("/api/settings?reveal=true"), {"Authorization: Bearer " + token});
  EXPECT_NE(revealed.body.find("sk-very-secret-key"), std::string::npos);
}

TEST_F(AdminSettings, LogNeverShowsTheAdminPasswordOrApiKey) {
  auto s = start({{"ADMIN_PASSWORD", "pw-4f1c9e"}, {"API_KEY", "sk-9c0ffee"}});
  login(http_, *s, "pw-4f1c9e");
  s->stop(SIGTERM);
  EXPECT_EQ(s->output().find("pw-4f1c9e"), std::string::npos);
  EXPECT_EQ(s->output().find("sk-9c0ffee"), std::string::npos);
}

}  // namespace
}  // namespace g2a::test
