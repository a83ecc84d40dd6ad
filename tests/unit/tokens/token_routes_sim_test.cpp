// The Pro token and stats admin routes, served in-process, with grok.com simulated: the
// Pro JSON shapes, truthful statuses with the Pro error body, test and prepare.
#include <boost/json.hpp>

#include "http_client.hpp"
#include "sim_env.hpp"

namespace g2a::tokens::test {
namespace {
namespace json = boost::json;

class TokenRoutesSim : public SimTest {
 protected:
  void SetUp() override {
    SimTest::SetUp();
    if (IsSkipped()) return;
    base_ = serve_admin_routes();
  }
  g2a::test::HttpResult call(const std::string& method, const std::string& path,
                             const std::string& body = "", bool auth = true) {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (auth) headers.push_back("Authorization: Bearer " + session());
    return http_.request(method, base_ + path, body, headers);
  }
  json::object ok(const g2a::test::HttpResult& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = json::parse(r.body).as_object();
    EXPECT_EQ(v["success"], true) << r.body;
    return v;
  }
  json::object refused(const g2a::test::HttpResult& r, long status) {
    EXPECT_EQ(r.status, status) << r.body;
    auto v = json::parse(r.body).as_object();
    EXPECT_EQ(v["success"], false) << r.body;
    EXPECT_TRUE(v["message"].is_string()) << r.body;
    EXPECT_TRUE(v.contains("error")) << r.body;  // the error envelope too
    return v;
  }
  json::array list(const std::string& query = "") {
    return ok(call("GET", "/api/tokens" + query))["data"].as_array();
  }
  json::object find(const std::string& sso) {
    for (auto& t : list("?limit=100000"))
      if (t.at("token") == sso.c_str()) return t.as_object();
    return {};
  }
  // The simulator's view of an account (GET /__sim/accounts).
  json::object sim_account(const std::string& sso) {
    auto accounts = json::parse(sim_->query("accounts"));
    for (const auto& a : accounts.as_array())
      if (a.at("sso") == sso.c_str()) return a.as_object();
    ADD_FAILURE() << "the simulator has no account " << sso;
    return {};
  }
  std::string base_;
  g2a::test::HttpClient http_;
};

TEST_F(TokenRoutesSim, AnAdminSessionIsRequired) {
  EXPECT_EQ(call("GET", "/api/tokens", "", false).status, 401);
  EXPECT_EQ(call("GET", "/api/stats", "", false).status, 401);
  EXPECT_EQ(call("POST", "/api/tokens/add", R"({"tokens":["x"]})", false).status, 401);
  EXPECT_EQ(pool_->size(), 0u);
}

TEST_F(TokenRoutesSim, AddListFilterPageAndDelete) {
  auto added = ok(call("POST", "/api/tokens/add",
                       R"({"tokens":["tok-n1","tok-n2"," tok-n3 ",""],"token_type":"sso"})"));
  EXPECT_EQ(added["count"], 3);
  EXPECT_TRUE(added["message"].is_string());
  EXPECT_EQ(ok(call("POST", "/api/tokens/add",
                    R"({"tokens":["tok-s1"],"token_type":"ssoSuper"})"))["count"],
            1);

  auto page = ok(call("GET", "/api/tokens?page=2&page_size=3"));
  EXPECT_EQ(page["total"], 4);
  EXPECT_EQ(page["page"], 2);
  EXPECT_EQ(page["page_size"], 3);
  ASSERT_EQ(page["data"].as_array().size(), 1u);
  auto all = list("?limit=100000&sort=created_desc");
  EXPECT_EQ(all.size(), 4u);
  auto first = list()[0].as_object();  // the Pro TokenInfo fields
  for (const char* k :
       {"token", "token_type", "created_time", "remaining_queries", "heavy_remaining_queries",
        "video_remaining", "video_limit", "status", "tags", "note"})
    EXPECT_TRUE(first.contains(k)) << k;
  EXPECT_EQ(first["token"], "tok-n1");  // full tokens for a logged-in admin
  EXPECT_EQ(first["token_type"], "sso");
  EXPECT_EQ(first["status"], "未使用");

  auto supers = list("?token_type=ssoSuper");
  ASSERT_EQ(supers.size(), 1u);
  EXPECT_EQ(supers[0].at("token"), "tok-s1");
  EXPECT_EQ(supers[0].at("token_type"), "ssoSuper");
  EXPECT_EQ(list("?status=%E6%9C%AA%E4%BD%BF%E7%94%A8").size(), 4u);  // 未使用
  EXPECT_EQ(list("?limit=2").size(), 2u);

  refused(call("GET", "/api/tokens?token_type=ssoMega"), 400);
  refused(call("GET", "/api/tokens?page=0"), 400);
  refused(call("GET", "/api/tokens?sort=random"), 400);

  auto deleted = ok(call("POST", "/api/tokens/delete",
                         R"({"tokens":["tok-n1","tok-n2","tok-s1"],"token_type":"sso"})"));
  EXPECT_EQ(deleted["count"], 2);  // tok-s1 is not in ssoNormal
  EXPECT_EQ(ok(call("GET", "/api/tokens"))["total"], 2);
  // Saved to the store at once.
  EXPECT_TRUE(env_->store().get("tokens", "ssoNormal/tok-n3"));
  EXPECT_FALSE(env_->store().get("tokens", "ssoNormal/tok-n1"));
}

TEST_F(TokenRoutesSim, BadInputGetsTruthfulStatusesWithTheProBody) {
  auto v = refused(call("POST", "/api/tokens/add", R"({"tokens":["x"],"token_type":"vip"})"), 400);
  EXPECT_EQ(v["error"].at("code"), "INVALID_TYPE");
  refused(call("POST", "/api/tokens/add", R"({"tokens":[]})"), 400);
  refused(call("POST", "/api/tokens/add", "not json"), 400);
  refused(call("POST", "/api/tokens/delete", R"({"tokens":[1,2]})"), 400);
  refused(call("POST", "/api/tokens/note", R"({"token":"missing","note":"x"})"), 404);
  refused(call("POST", "/api/tokens/tags", R"({"token":"missing","tags":["a"]})"), 404);
  refused(call("POST", "/api/tokens/prepare", R"({"token":"missing"})"), 404);
  refused(call("POST", "/api/tokens/test", R"({})"), 400);
}

TEST_F(TokenRoutesSim, TagsNotesAndAllTags) {
  ok(call("POST", "/api/tokens/add", R"({"tokens":["tok-a","tok-b"],"token_type":"ssoNormal"})"));
  auto t = ok(call("POST", "/api/tokens/tags",
                   R"({"token":"tok-a","token_type":"sso","tags":["主力","team-b","主力"," "]})"));
  EXPECT_EQ(t["tags"], (json::array{"主力", "team-b"}));
  ok(call("POST", "/api/tokens/tags", R"({"token":"tok-b","token_type":"sso","tags":["alpha"]})"));
  auto n =
      ok(call("POST", "/api/tokens/note", R"({"token":"tok-b","token_type":"sso","note":"备注"})"));
  EXPECT_EQ(n["note"], "备注");
  auto all = ok(call("GET", "/api/tokens/tags/all"));
  EXPECT_EQ(all["data"], (json::array{"alpha", "team-b", "主力"}));
  auto tagged = list("?tag=alpha");
  ASSERT_EQ(tagged.size(), 1u);
  EXPECT_EQ(tagged[0].at("token"), "tok-b");
  EXPECT_EQ(tagged[0].at("note"), "备注");
}

TEST_F(TokenRoutesSim, TestReadsTheSessionAndQuotas) {
  account("route-super-01", "super");
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-super-01"],"token_type":"sso"})"));
  auto v = ok(call("POST", "/api/tokens/test", R"({"token":"route-super-01","token_type":"sso"})"));
  const auto& d = v["data"].as_object();
  EXPECT_EQ(d.at("valid"), true);
  EXPECT_EQ(d.at("remaining_queries"), 140);
  EXPECT_EQ(d.at("limit"), 140);
  EXPECT_EQ(d.at("tier"), "super");
  EXPECT_FALSE(d.at("user_id").as_string().empty());
  EXPECT_TRUE(d.at("quotas").as_object().contains("video720p"));
  auto row = find("route-super-01");
  EXPECT_EQ(row["status"], "正常");
  EXPECT_EQ(row["remaining_queries"], 140);
  EXPECT_EQ(row["tier"], "super");
}

TEST_F(TokenRoutesSim, TestOfABlockedAccountDisablesIt) {
  account("route-blocked1", "basic", "blocked");
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-blocked1"]})"));
  auto r = call("POST", "/api/tokens/test", R"({"token":"route-blocked1","token_type":"sso"})");
  EXPECT_EQ(r.status, 200);  // the test ran; its verdict is the answer
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v["success"], false);
  EXPECT_EQ(v["data"].at("valid"), false);
  EXPECT_EQ(v["data"].at("error_type"), "blocked");
  EXPECT_EQ(v["data"].at("error_code"), 403);
  EXPECT_FALSE(pool_->find("route-blocked1")->record.disabled_reason.empty());
  EXPECT_EQ(find("route-blocked1")["status"], "失效");
}

TEST_F(TokenRoutesSim, TestOfAnUnknownTokenSaysExpired) {
  auto r = call("POST", "/api/tokens/test", R"({"token":"never-registered","token_type":"sso"})");
  EXPECT_EQ(r.status, 200);
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v["success"], false);
  EXPECT_EQ(v["data"].at("error_type"), "expired");
  EXPECT_EQ(v["data"].at("error_code"), 401);
}

TEST_F(TokenRoutesSim, PrepareRunsTosBirthDateNsfwInOrderAndIsIdempotent) {
  account("route-prep-001", "basic");
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-prep-001"]})"));
  auto v = ok(call("POST", "/api/tokens/prepare", R"({"token":"route-prep-001"})"));
  const auto& d = v["data"].as_object();
  EXPECT_EQ(d.at("prepared"), true);
  const auto& steps = d.at("steps").as_array();
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].at("step"), "tos_accounts");
  EXPECT_EQ(steps[1].at("step"), "tos");
  EXPECT_EQ(steps[2].at("step"), "birth_date");
  EXPECT_EQ(steps[3].at("step"), "nsfw");
  for (const auto& s : steps) EXPECT_EQ(s.at("ok"), true) << json::serialize(s);

  auto again = ok(call("POST", "/api/tokens/prepare", R"({"tokens":["route-prep-001"]})"));
  const auto& r = again["data"].at("results").as_array()[0];
  EXPECT_EQ(r.at("prepared"), true);
  ASSERT_EQ(r.at("steps").as_array().size(), 4u);
  EXPECT_EQ(r.at("steps").as_array()[0].at("detail"), "done");  // accepting again is harmless
  EXPECT_EQ(r.at("steps").as_array()[2].at("detail"), "already set");
  EXPECT_GT(pool_->find("route-prep-001")->record.prepared_at_ms, 0);

  // The simulator saw the steps in order, twice, the first on accounts.x.ai.
  std::vector<std::string> calls;
  auto requests = json::parse(sim_->query("requests?sso=route-prep-001"));
  for (const auto& e : requests.as_array())
    calls.push_back(std::string(e.at("host").as_string()) + " " +
                    std::string(e.at("path").as_string()));
  const std::vector<std::string> once = {
      "accounts /auth_mgmt.AuthManagement/SetTosAcceptedVersion",
      "grok /rest/auth/set-tos-accepted", "grok /rest/auth/set-birth-date",
      "grok /auth_mgmt.AuthManagement/UpdateUserFeatureControls"};
  std::vector<std::string> twice = once;
  twice.insert(twice.end(), once.begin(), once.end());
  EXPECT_EQ(calls, twice);
  auto mine = sim_account("route-prep-001");
  EXPECT_EQ(mine.at("xai_tos_version"), 1);
  EXPECT_EQ(mine.at("tos_version"), 5);
  EXPECT_TRUE(mine.at("birth_date").is_string());
  EXPECT_EQ(mine.at("nsfw"), true);
}

TEST_F(TokenRoutesSim, PrepareStopsAtAFailedAccountsTosCallAndResumesLater) {
  account("route-prep-002", "basic");
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-prep-002"]})"));
  // accounts.x.ai answers grpc-status 13 (trailers-only: in the headers, HTTP 200).
  sim_->control("script",
                R"({"sso":"route-prep-002","call":"account_prep","fault":"error_event"})");
  auto v = refused(call("POST", "/api/tokens/prepare", R"({"token":"route-prep-002"})"), 502);
  const auto& steps = v["data"].at("steps").as_array();
  ASSERT_EQ(steps.size(), 1u) << json::serialize(v);
  EXPECT_EQ(steps[0].at("step"), "tos_accounts");
  EXPECT_EQ(steps[0].at("ok"), false);
  EXPECT_EQ(steps[0].at("detail"), "grpc-status 13: Internal error");
  auto mine = sim_account("route-prep-002");
  EXPECT_TRUE(mine.at("xai_tos_version").is_null());
  EXPECT_TRUE(mine.at("tos_version").is_null());  // nothing after the failed step ran
  EXPECT_EQ(pool_->find("route-prep-002")->record.prepared_at_ms, 0);

  // An HTTP refusal of the same call stops it too.
  sim_->control("script", R"({"sso":"route-prep-002","call":"account_prep","fault":"500"})");
  v = refused(call("POST", "/api/tokens/prepare", R"({"token":"route-prep-002"})"), 502);
  ASSERT_EQ(v["data"].at("steps").as_array().size(), 1u);
  EXPECT_EQ(v["data"].at("steps").as_array()[0].at("ok"), false);

  // The fault is spent: the next run goes through every step.
  auto done = ok(call("POST", "/api/tokens/prepare", R"({"token":"route-prep-002"})"));
  EXPECT_EQ(done["data"].at("steps").as_array().size(), 4u);
  mine = sim_account("route-prep-002");
  EXPECT_EQ(mine.at("xai_tos_version"), 1);
  EXPECT_EQ(mine.at("nsfw"), true);
}

TEST_F(TokenRoutesSim, PrepareOfABlockedAccountFailsTruthfully) {
  account("route-prep-blk", "basic", "blocked");
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-prep-blk"]})"));
  auto v = refused(call("POST", "/api/tokens/prepare", R"({"token":"route-prep-blk"})"), 502);
  EXPECT_EQ(v["data"].at("prepared"), false);
  EXPECT_EQ(v["data"].at("steps").as_array().size(), 1u);  // stopped at the first step
  EXPECT_FALSE(pool_->find("route-prep-blk")->record.disabled_reason.empty());
}

TEST_F(TokenRoutesSim, StatsAndRemaining) {
  account("route-stat-01", "basic");
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-stat-01","route-stat-02"]})"));
  ok(call("POST", "/api/tokens/add", R"({"tokens":["route-stat-03"],"token_type":"ssoHeavy"})"));
  ok(call("POST", "/api/tokens/test", R"({"token":"route-stat-01"})"));
  auto stats = ok(call("GET", "/api/stats"))["data"].as_object();
  EXPECT_EQ(stats["total"], 3);
  EXPECT_EQ(stats["normal"].at("total"), 2);
  EXPECT_EQ(stats["normal"].at("active"), 1);
  EXPECT_EQ(stats["normal"].at("unused"), 1);
  EXPECT_EQ(stats["heavy"].at("total"), 1);
  EXPECT_EQ(stats["video"].at("total_remaining"), 2);
  auto rem = ok(call("GET", "/api/stats/remaining"))["data"].as_object();
  EXPECT_EQ(rem["assumed_chat_quota_per_token"], 80);
  EXPECT_EQ(rem["chat_total_remaining"], 30 + 80 + 80);
  EXPECT_EQ(rem["image_total_remaining"], (30 + 80 + 80) / 2);
}

}  // namespace
}  // namespace g2a::tokens::test
