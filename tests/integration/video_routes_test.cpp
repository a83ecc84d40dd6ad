// The Video API's HTTP routes on the real server against the grok.com simulator: create in
// the three body encodings (JSON, multipart with a file part, form-urlencoded), 400s that
// name the field, the list envelope, 404s, content before completion (409), content with
// Range (206, 416) and byte-equal to the public /videos/{name} file, and /api/videos
// behind the admin session.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "core/http/multipart.hpp"
#include "eventually.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "simulator_process.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {
using namespace std::chrono_literals;

constexpr const char* kSso = "video-routes-token-0001";
constexpr const char* kPassword = "video-routes-admin";
constexpr const char* kApiKey = "sk-video-routes";
constexpr std::string_view kBoundary = "----formdata-undici-059233659514";
// A PNG as far as magic numbers go (the simulator's upload checks the type).
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29);

http::MultipartPart text_part(std::string name, std::string value) {
  http::MultipartPart p;
  p.name = std::move(name);
  p.data = std::move(value);
  return p;
}

class VideoRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    sim_ = SimulatorProcess::start(&why);
    if (!sim_) GTEST_SKIP() << why;
    sim_->control("accounts", std::string(R"({"sso":")") + kSso + R"(","tier":"super"})");
    std::map<std::string, std::string> env = {{"GROK2API_GROK_UPSTREAM_URL", sim_->grok()},
                                              {"GROK2API_GROK_ASSETS_URL", sim_->assets()},
                                              {"GROK2API_GROK_ACCOUNTS_URL", sim_->accounts()},
                                              {"ADMIN_PASSWORD", kPassword},
                                              {"API_KEY", kApiKey}};
    server_ = std::make_unique<ServerProcess>(
        ServerConfig(dir_.str(), "[video]\npoll_after_ms = 1500\n", {}, env));
    auto login =
        http_.post_json(server_->url("/api/login"),
                        std::string(R"({"username":"admin","password":")") + kPassword + "\"}");
    ASSERT_EQ(login.status, 200) << login.body << server_->output();
    admin_ =
        "Authorization: Bearer " + std::string(at(parse_json(login.body), "token").as_string());
    auto added = http_.post_json(
        server_->url("/api/tokens/add"),
        std::string(R"({"tokens":[")") + kSso + R"("],"token_type":"ssoSuper"})", {admin_});
    ASSERT_EQ(added.status, 200) << added.body;
  }

  HttpResult v1(const std::string& method, const std::string& path, const std::string& body = "",
                std::vector<std::string> headers = {}) {
    headers.push_back(std::string("Authorization: Bearer ") + kApiKey);
    return http_.request(method, server_->url(path), body, headers);
  }
  HttpResult create_json(const std::string& body) {
    return v1("POST", "/v1/videos", body, {"Content-Type: application/json"});
  }
  std::string created_id(const HttpResult& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return "";
    return std::string(at(parse_json(r.body), "id").as_string());
  }
  // The task once it is completed or failed.
  boost::json::value finished(const std::string& id) {
    boost::json::value last;
    bool done = eventually(
        [&] {
          auto r = v1("GET", "/v1/videos/" + id);
          if (r.status != 200) return false;
          last = parse_json(r.body);
          return at(last, "status") == "completed" || at(last, "status") == "failed";
        },
        30s);
    EXPECT_TRUE(done) << boost::json::serialize(last) << server_->output();
    return last;
  }
  void expect_error(const HttpResult& r, int status, const std::string& param,
                    const std::string& code = "") {
    ASSERT_EQ(r.status, status) << r.body << r.error << server_->output();
    auto v = parse_json(r.body);
    EXPECT_EQ(at(v, "error/type"), status == 404   ? "not_found_error"
                                   : status == 409 ? "conflict_error"
                                                   : "invalid_request_error")
        << r.body;
    if (!param.empty()) {
      EXPECT_EQ(at(v, "error/param"), param.c_str()) << r.body;
    }
    if (!code.empty()) {
      EXPECT_EQ(at(v, "error/code"), code.c_str()) << r.body;
    }
  }

  TempDir dir_;
  std::unique_ptr<SimulatorProcess> sim_;
  std::unique_ptr<ServerProcess> server_;
  HttpClient http_;
  std::string admin_;
};

TEST_F(VideoRoutes, CreateInEveryEncodingThenServeTheFileWithRanges) {
  auto json =
      create_json(R"({"prompt":"a red fox","model":"sora-2","seconds":6,"size":"1280x720"})");
  std::string a = created_id(json);
  auto v = parse_json(json.body);
  EXPECT_EQ(at(v, "object"), "video");
  EXPECT_EQ(at(v, "seconds"), "6");  // an integer in, the spec's string out
  EXPECT_EQ(at(v, "size"), "1280x720");
  if (at(v, "status") == "queued" || at(v, "status") == "in_progress") {
    EXPECT_EQ(json.headers["openai-poll-after-ms"], "1500");
  }

  http::MultipartPart file = text_part("input_reference", kPng);
  file.filename = "ref.png";
  file.content_type = "image/png";
  auto multipart =
      v1("POST", "/v1/videos/",  // a trailing slash is the same route
         http::build_multipart({text_part("prompt", "a cat on a piano"),
                                text_part("model", "sora-2"), text_part("seconds", "6"), file},
                               kBoundary),
         {"Content-Type: multipart/form-data; boundary=" + std::string(kBoundary)});
  std::string b = created_id(multipart);
  auto form = v1("POST", "/v1/videos/generations", "prompt=waves+at+dusk&seconds=6",
                 {"Content-Type: application/x-www-form-urlencoded"});
  std::string c = created_id(form);
  EXPECT_EQ(at(parse_json(form.body), "prompt"), "waves at dusk");

  for (const auto& id : {a, b, c}) {
    auto task = finished(id);
    EXPECT_EQ(at(task, "status"), "completed") << boost::json::serialize(task);
  }

  // SDKs ask for the content with Accept: application/binary.
  auto whole = v1("GET", "/v1/videos/" + a + "/content", "", {"Accept: application/binary"});
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.headers["content-type"], "video/mp4");
  EXPECT_EQ(whole.headers["accept-ranges"], "bytes");
  EXPECT_EQ(whole.headers["content-length"], std::to_string(whole.body.size()));
  EXPECT_EQ(whole.headers["content-disposition"], "inline; filename=\"" + a + ".mp4\"");
  ASSERT_GT(whole.body.size(), 20u);
  const std::string size = std::to_string(whole.body.size());

  // The public link of the task serves the same bytes, without a key.
  auto task = parse_json(v1("GET", "/v1/videos/" + a).body);
  std::string url(at(task, "video_url").as_string());
  auto pub = http_.get(server_->url(url.substr(url.find("/videos/"))));
  EXPECT_EQ(pub.status, 200);
  EXPECT_EQ(pub.body, whole.body);

  auto first = v1("GET", "/v1/videos/" + a + "/content?variant=mp4", "", {"Range: bytes=0-9"});
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(first.body, whole.body.substr(0, 10));
  EXPECT_EQ(first.headers["content-range"], "bytes 0-9/" + size);
  EXPECT_EQ(first.headers["content-length"], "10");
  auto tail = v1("GET", "/v1/videos/" + a + "/content", "", {"Range: bytes=-5"});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, whole.body.substr(whole.body.size() - 5));
  auto public_range =
      http_.get(server_->url(url.substr(url.find("/videos/"))), {"Range: bytes=3-"});
  EXPECT_EQ(public_range.status, 206);
  EXPECT_EQ(public_range.body, whole.body.substr(3));
  auto outside = v1("GET", "/v1/videos/" + a + "/content", "", {"Range: bytes=" + size + "-"});
  EXPECT_EQ(outside.status, 416);
  EXPECT_EQ(outside.headers["content-range"], "bytes */" + size);
  auto ignored = v1("GET", "/v1/videos/" + a + "/content", "", {"Range: bytes=x-y"});
  EXPECT_EQ(ignored.status, 200);
  EXPECT_EQ(ignored.body, whole.body);

  auto thumb = v1("GET", "/v1/videos/" + a + "/content?variant=thumbnail");
  EXPECT_EQ(thumb.status, 200) << thumb.body;
  EXPECT_EQ(thumb.headers["content-type"].rfind("image/", 0), 0u) << thumb.headers["content-type"];
  expect_error(v1("GET", "/v1/videos/" + a + "/content?variant=spritesheet"), 404, "",
               "variant_not_found");
  expect_error(v1("GET", "/v1/videos/" + a + "/content?variant=gif"), 400, "variant");
}

TEST_F(VideoRoutes, BadRequestsNameTheField) {
  expect_error(create_json(R"({"model":"sora-2"})"), 400, "prompt", "missing_required_parameter");
  expect_error(create_json(R"({"prompt":"p","size":"999x1"})"), 400, "size");
  expect_error(create_json(R"({"prompt":"p","seconds":"abc"})"), 400, "seconds");
  expect_error(create_json(R"({"prompt":"p","seconds":"30"})"), 400, "seconds");
  expect_error(create_json(R"({"prompt":"p","input_reference":{"file_id":"file-1"}})"), 400,
               "input_reference");
  expect_error(v1("POST", "/v1/videos", "prompt=p&seconds=abc",
                  {"Content-Type: application/x-www-form-urlencoded"}),
               400, "seconds");
  expect_error(create_json("{oops"), 400, "", "invalid_json");
  // Without the key: 401, nothing made.
  auto anonymous = http_.post_json(server_->url("/v1/videos"), R"({"prompt":"p"})");
  EXPECT_EQ(anonymous.status, 401);
  auto list = parse_json(v1("GET", "/v1/videos").body);
  EXPECT_EQ(at(list, "data").as_array().size(), 0u);
}

TEST_F(VideoRoutes, UnknownIdsAre404) {
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/videos/video_nope"},
                                                        {"DELETE", "/v1/videos/video_nope"},
                                                        {"GET", "/v1/videos/video_nope/content"},
                                                        {"POST", "/v1/videos/video_nope/remix"}}) {
    auto r = v1(method, path, method == "POST" ? R"({"prompt":"again"})" : "",
                {"Content-Type: application/json"});
    expect_error(r, 404, "", "video_not_found");
  }
  EXPECT_EQ(http_.get(server_->url("/videos/video_nope.mp4")).status, 404);
  EXPECT_EQ(http_.get(server_->url("/videos/..%2Fsetting.toml")).status, 404);
}

TEST_F(VideoRoutes, TheListEnvelopePagesBothWays) {
  auto empty = parse_json(v1("GET", "/v1/videos").body);
  EXPECT_EQ(at(empty, "object"), "list");
  EXPECT_TRUE(at(empty, "first_id").is_null());
  EXPECT_TRUE(at(empty, "last_id").is_null());
  EXPECT_EQ(at(empty, "has_more"), false);

  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(created_id(create_json(R"({"prompt":"clip )" + std::to_string(i) + "\"}")));
  auto page = parse_json(v1("GET", "/v1/videos?limit=2&order=asc").body);
  ASSERT_EQ(at(page, "data").as_array().size(), 2u);
  EXPECT_EQ(at(page, "first_id"), ids[0].c_str());
  EXPECT_EQ(at(page, "last_id"), ids[1].c_str());
  EXPECT_EQ(at(page, "data/1/id"), ids[1].c_str());
  EXPECT_EQ(at(page, "has_more"), true);
  auto next = parse_json(v1("GET", "/v1/videos?limit=2&order=asc&after=" + ids[1]).body);
  ASSERT_EQ(at(next, "data").as_array().size(), 1u);
  EXPECT_EQ(at(next, "data/0/id"), ids[2].c_str());
  EXPECT_EQ(at(next, "has_more"), false);
  auto desc = parse_json(v1("GET", "/v1/videos").body);
  EXPECT_EQ(at(desc, "first_id"), ids[2].c_str());
  EXPECT_EQ(at(desc, "last_id"), ids[0].c_str());
  expect_error(v1("GET", "/v1/videos?limit=0"), 400, "limit");
  expect_error(v1("GET", "/v1/videos?limit=101"), 400, "limit");
  expect_error(v1("GET", "/v1/videos?order=sideways"), 400, "order");
}

TEST_F(VideoRoutes, ContentBeforeCompletionIs409ThenDeleteRemovesTheTask) {
  // The simulator holds the generation after its 45 % line until released.
  sim_->control("video/hold", R"({"after_progress":45})");
  std::string id = created_id(create_json(R"({"prompt":"a slow sunrise"})"));
  sim_->query("video/held?count=1&timeout_ms=30000");
  auto retrieved = v1("GET", "/v1/videos/" + id);
  EXPECT_EQ(retrieved.status, 200);
  EXPECT_EQ(retrieved.headers["openai-poll-after-ms"], "1500");
  EXPECT_EQ(at(parse_json(retrieved.body), "status"), "in_progress") << retrieved.body;
  expect_error(v1("GET", "/v1/videos/" + id + "/content"), 409, "", "video_not_ready");
  auto removed = v1("DELETE", "/v1/videos/" + id);
  ASSERT_EQ(removed.status, 200) << removed.body;
  auto v = parse_json(removed.body);
  EXPECT_EQ(at(v, "id"), id.c_str());
  EXPECT_EQ(at(v, "object"), "video.deleted");
  EXPECT_EQ(at(v, "deleted"), true);
  expect_error(v1("GET", "/v1/videos/" + id), 404, "", "video_not_found");
  sim_->control("video/release");
}

TEST_F(VideoRoutes, TheAdminListingNeedsASessionAndMasksTheAccount) {
  std::string id = created_id(create_json(R"({"prompt":"an admin's view"})"));
  finished(id);
  EXPECT_EQ(http_.get(server_->url("/api/videos")).status, 401);
  EXPECT_EQ(
      http_.get(server_->url("/api/videos"), {std::string("Authorization: Bearer ") + kApiKey})
          .status,
      401);  // an API key is no session
  auto r = http_.get(server_->url("/api/videos?status=completed"), {admin_});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "success"), true);
  EXPECT_EQ(at(v, "total"), 1);
  EXPECT_EQ(at(v, "videos/0/id"), id.c_str());
  EXPECT_EQ(r.body.find(kSso), std::string::npos) << "the SSO must be masked";
  EXPECT_EQ(std::string(at(v, "videos/0/sso").as_string()).substr(0, 10),
            std::string(kSso).substr(0, 10));
  auto none = parse_json(http_.get(server_->url("/api/videos?status=failed"), {admin_}).body);
  EXPECT_EQ(at(none, "total"), 0);
  EXPECT_EQ(http_.request("DELETE", server_->url("/api/videos/" + id)).status, 401);
  EXPECT_EQ(http_.request("DELETE", server_->url("/api/videos/" + id), "", {admin_}).status, 200);
  EXPECT_EQ(http_.request("DELETE", server_->url("/api/videos/" + id), "", {admin_}).status, 404);
}

}  // namespace
}  // namespace g2a::test
