// Every call of grok.com's current protocol, made by the gateway's upstream client (with
// the real signer plugin) against the simulator's strict checks: directly and through
// real proxies (tinyproxy, microsocks). Each test ends with no recorded violation.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <future>
#include <thread>

#include "core/ops/logging.hpp"
#include "core/plugin/manager.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/headers.hpp"
#include "core/upstream/grok/problem.hpp"
#include "core/upstream/grok/signer_host.hpp"
#include "simulator_process.hpp"
#include "support/test_paths.hpp"
#include "unit/upstream/proxy_process.hpp"

namespace g2a::upstream::grok {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using test::ProxyProcess;
using test::SimulatorProcess;

enum class Via { kDirect, kTinyproxy, kMicrosocks };

std::string via_name(const ::testing::TestParamInfo<Via>& info) {
  return info.param == Via::kDirect      ? "direct"
         : info.param == Via::kTinyproxy ? "tinyproxy"
                                         : "microsocks";
}

// Reads an NDJSON stream to its end, line by line as they arrive.
asio::awaitable<std::vector<json::value>> read_ndjson(HttpStream& stream) {
  std::vector<json::value> lines;
  std::string buffer;
  while (auto chunk = co_await stream.next(30s)) {
    buffer += *chunk;
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (!line.empty()) lines.push_back(json::parse(line));
    }
  }
  co_return lines;
}

class UpstreamAgainstSimulator : public ::testing::TestWithParam<Via> {
 protected:
  void SetUp() override {
    std::string why;
    sim_ = SimulatorProcess::start(&why);
    if (!sim_) GTEST_SKIP() << why;
    if (GetParam() != Via::kDirect) {
      proxy_ = ProxyProcess::start(GetParam() == Via::kTinyproxy ? ProxyProcess::Kind::kTinyproxy
                                                                 : ProxyProcess::Kind::kMicrosocks,
                                   &why);
      if (!proxy_) GTEST_SKIP() << why;
    }
    work_.emplace(io_.get_executor());
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
    http_ = std::make_unique<HttpClient>(io_);

    plugin::ManagerOptions mo;
    mo.directory = test::build_dir() + "/lib/grok2api";
    mo.settings.enabled = {"signer-statsig"};
    mo.must_have = {"signer-statsig"};
    mo.io = io_.get_executor();
    mo.blocking = &blocking_;
    mo.http = http_.get();
    mo.default_user_agent = kUserAgent;
    json::object defaults{{"upstream_url", sim_->grok()},
                          {"dynamic_statsig", true},
                          {"x_statsig_id", ""},
                          {"user_agent", kUserAgent}};
    if (proxy_) defaults["proxy_url"] = proxy_->url();
    mo.signer_defaults_json = json::serialize(defaults);
    plugins_ = std::make_unique<plugin::Manager>(std::move(mo));
    plugins_->load_all();
    signer_ = std::make_unique<SignerHost>(*plugins_->find("signer-statsig"), io_.get_executor());
    Endpoints endpoints;
    endpoints.upstream = sim_->grok();
    endpoints.assets = sim_->assets();
    endpoints.accounts = sim_->accounts();
    client_ = std::make_unique<GrokClient>(*http_, *signer_, endpoints);

    egress_.user_agent = kUserAgent;
    if (proxy_) {
      egress_.id = proxy_->url();
      egress_.proxy_url = proxy_->url();
    }
    alice_ = register_account("alice-sso-token-0001", "super");
    bob_ = register_account("bob-sso-token-0002", "basic");
  }

  void TearDown() override {
    if (sim_) {
      EXPECT_EQ(sim_->violations(), "[]") << "the simulator saw protocol violations";
    }
    if (http_) asio::post(http_->driver().strand(), asio::use_future).get();
    client_.reset();
    signer_.reset();
    if (plugins_) plugins_->shutdown();
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    plugins_.reset();
    http_.reset();
  }

  Account register_account(const std::string& sso, const std::string& tier) {
    auto v = json::parse(
        sim_->control("accounts", json::serialize(json::object{{"sso", sso}, {"tier", tier}})));
    Account a;
    a.sso = sso;
    if (auto* acc = v.as_object().if_contains("account")) v = *acc;
    if (auto* id = v.as_object().if_contains("user_id")) a.user_id = std::string(id->as_string());
    return a;
  }

  template <class F>
  auto run(F f) {
    return asio::co_spawn(io_, f(), asio::use_future).get();
  }

  static std::string chat_body(const std::string& message, const std::string& mode) {
    json::object b{{"collectionIds", json::array()},
                   {"disabledConnectorIds", json::array()},
                   {"deviceEnvInfo",
                    {{"darkModeEnabled", false},
                     {"devicePixelRatio", 2},
                     {"screenHeight", 1328},
                     {"screenWidth", 2056},
                     {"viewportHeight", 1083},
                     {"viewportWidth", 2056}}},
                   {"disableMemory", true},
                   {"disableSearch", false},
                   {"disableSelfHarmShortCircuit", false},
                   {"disableTextFollowUps", false},
                   {"enableImageGeneration", true},
                   {"enableImageStreaming", true},
                   {"enableSideBySide", true},
                   {"fileAttachments", json::array()},
                   {"imageAttachments", json::array()},
                   {"imageGenerationCount", 2},
                   {"forceConcise", false},
                   {"forceSideBySide", false},
                   {"isAsyncChat", false},
                   {"message", message},
                   {"modeId", mode},
                   {"responseMetadata", json::object()},
                   {"returnImageBytes", false},
                   {"returnRawGrokInXaiRequest", false},
                   {"sendFinalMetadata", true},
                   {"temporary", true},
                   {"toolOverrides",
                    {{"gmailSearch", false},
                     {"googleCalendarSearch", false},
                     {"outlookSearch", false},
                     {"outlookCalendarSearch", false},
                     {"googleDriveSearch", false}}}};
    return json::serialize(b);
  }

  static constexpr const char* kUserAgent =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/146.0.0.0 Safari/537.36";

  std::unique_ptr<SimulatorProcess> sim_;
  std::unique_ptr<ProxyProcess> proxy_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  runtime::BlockingPool blocking_{1};
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<plugin::Manager> plugins_;
  std::unique_ptr<SignerHost> signer_;
  std::unique_ptr<GrokClient> client_;
  Egress egress_;
  Account alice_, bob_;
};

TEST_P(UpstreamAgainstSimulator, SessionGivesTheUserIdAndMarksBadTokens) {
  auto info = run([&]() -> asio::awaitable<SessionInfo> {
    co_return co_await client_->session(alice_, egress_);
  });
  EXPECT_EQ(info.user_id, alice_.user_id);
  auto problem = run([&]() -> asio::awaitable<Problem> {
    try {
      Account unknown{"unknown-token", ""};
      co_await client_->session(unknown, egress_);
    } catch (const UpstreamError& e) {
      co_return e.diagnosis().problem;
    }
    co_return Problem::kNone;
  });
  EXPECT_EQ(problem, Problem::kUnauthenticated);
  sim_->control("accounts", R"({"sso":"bob-sso-token-0002","status":"blocked"})");
  problem = run([&]() -> asio::awaitable<Problem> {
    try {
      co_await client_->session(bob_, egress_);
    } catch (const UpstreamError& e) {
      co_return e.diagnosis().problem;
    }
    co_return Problem::kNone;
  });
  EXPECT_EQ(problem, Problem::kBlocked);
}

TEST_P(UpstreamAgainstSimulator, RestChatIsSignedAndStreamsNdjson) {
  auto lines = run([&]() -> asio::awaitable<std::vector<json::value>> {
    auto stream = co_await client_->rest(alice_, egress_, "/rest/app-chat/conversations/new",
                                         chat_body("[user]\nhello there\n\n", "fast"),
                                         CallKind::kRestChat, 30s);
    co_return co_await read_ndjson(*stream);
  });
  ASSERT_FALSE(lines.empty());
  std::string text;
  bool conversation = false, final_response = false;
  for (const auto& l : lines) {
    const auto& r = l.at("result").as_object();
    if (r.contains("conversation")) conversation = true;
    if (auto* resp = r.if_contains("response"); resp && resp->as_object().contains("modelResponse"))
      final_response = true;
  }
  EXPECT_TRUE(conversation);
  EXPECT_TRUE(final_response);
}

TEST_P(UpstreamAgainstSimulator, RateLimitsAndMediaQuota) {
  auto limits = run([&]() -> asio::awaitable<std::string> {
    co_return co_await client_->rest_json(alice_, egress_, "/rest/rate-limits",
                                          R"({"modelName":"fast"})", CallKind::kRateLimits);
  });
  auto v = json::parse(limits);
  EXPECT_GT(v.at("totalQueries").to_number<int64_t>(), 0);
  auto quota = run([&]() -> asio::awaitable<std::string> {
    co_return co_await client_->rest_json(alice_, egress_, "/rest/media/imagine/quota_info", "{}",
                                          CallKind::kQuotaInfo);
  });
  auto q = json::parse(quota);
  for (const char* key : {"image", "imageEdit", "imagePro", "video", "video720p"})
    EXPECT_TRUE(q.as_object().contains(key)) << key;
}

TEST_P(UpstreamAgainstSimulator, UploadThenDownloadTheAssetOnlyAsItsOwner) {
  std::string png = "\x89PNG\r\n\x1a\n" + std::string(64, '\0');
  auto file = run([&]() -> asio::awaitable<UploadedFile> {
    co_return co_await client_->upload(alice_, egress_, "cat.png", "image/png", png, false);
  });
  EXPECT_FALSE(file.file_metadata_id.empty());
  ASSERT_FALSE(file.file_uri.empty());
  auto statuses = run([&]() -> asio::awaitable<std::pair<long, long>> {
    auto mine = client_->asset(alice_, egress_, file.file_uri);
    long own = (co_await mine->head(30s)).status;
    auto theirs = client_->asset(bob_, egress_, file.file_uri);
    long other = (co_await theirs->head(30s)).status;
    co_return std::make_pair(own, other);
  });
  EXPECT_EQ(statuses.first, 200);
  EXPECT_EQ(statuses.second, 403);
  // The simulator records the deliberate wrong-account download as a violation.
  auto v = sim_->violations();
  EXPECT_NE(v.find("another account"), std::string::npos) << v;
  sim_->control("reset");
  auto imagine = run([&]() -> asio::awaitable<UploadedFile> {
    co_return co_await client_->upload(alice_, egress_, "ref.png", "image/png", png, true);
  });
  EXPECT_FALSE(imagine.file_metadata_id.empty());
}

TEST_P(UpstreamAgainstSimulator, ChatGatewayWebSocketTurn) {
  auto answer = run([&]() -> asio::awaitable<std::string> {
    auto ws = co_await client_->open_chat_gateway(alice_, egress_);
    std::string init_id = "evt_init_" + uuid4();
    json::object create{
        {"event",
         {{"type", "session.create"},
          {"event_id", init_id},
          {"session",
           {{"model", "fast"},
            {"x_grok",
             {{"protocol_capabilities", json::array{"conversation_attached", "custom_methods_v1"}},
              {"use_chunk", true},
              {"enable_side_by_side", true},
              {"force_side_by_side", false},
              {"enable_image_generation", true},
              {"image_generation_count", 2},
              {"disable_text_follow_ups", false},
              {"disable_artifact", true},
              {"force_concise", false},
              {"keep_context", false},
              {"is_temporary", true},
              {"disable_memory", true}}}}}}}};
    co_await ws->send_text(json::serialize(create));
    std::string conversation;
    bool created = false;
    while (!created || conversation.empty()) {
      auto msg = co_await ws->receive(30s);
      if (!msg) co_return "closed early";
      auto e = json::parse(*msg).at("event");
      std::string type(e.at("type").as_string());
      if (type == "session.created") created = e.at("client_event_id").as_string() == init_id;
      if (type == "conversation.attached")
        conversation = std::string(e.at("conversation").at("id").as_string());
    }
    json::object item{
        {"session_id", conversation},
        {"event",
         {{"type", "conversation.item.create"},
          {"event_id", "evt_msg_1"},
          {"item",
           {{"type", "message"},
            {"role", "user"},
            {"x_grok",
             {{"client_message_id", uuid4()},
              {"input_chunks",
               json::array{json::object{{"text", {{"text", "[user]\nhi\n\n"}}}}}}}}}}}}};
    co_await ws->send_text(json::serialize(item));
    json::object respond{{"session_id", conversation},
                         {"event", {{"type", "response.create"}, {"event_id", "evt_resp_1"}}}};
    co_await ws->send_text(json::serialize(respond));
    std::string text;
    for (;;) {
      auto msg = co_await ws->receive(30s);
      if (!msg) break;
      auto e = json::parse(*msg).at("event");
      std::string type(e.at("type").as_string());
      if (type == "response.chunk") {
        const auto& chunk = e.at("chunk").as_object();
        if (auto* t = chunk.if_contains("text"))
          if (t->at("channel") == "CHANNEL_ASSISTANT_RESPONSE") text += t->at("text").as_string();
      }
      if (type == "response.done") {
        EXPECT_EQ(e.at("response").at("status"), "completed");
        break;
      }
      if (type == "error") co_return "error: " + json::serialize(e);
    }
    co_await ws->close();
    co_return text;
  });
  EXPECT_FALSE(answer.empty());
  EXPECT_EQ(answer.rfind("error", 0), std::string::npos) << answer;
}

TEST_P(UpstreamAgainstSimulator, ImagineWebSocketGeneratesImages) {
  auto frames = run([&]() -> asio::awaitable<std::vector<std::string>> {
    auto ws = co_await client_->open_imagine(alice_, egress_);
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    json::object reset{
        {"type", "conversation.item.create"},
        {"timestamp", now},
        {"item", {{"type", "message"}, {"content", json::array{json::object{{"type", "reset"}}}}}}};
    co_await ws->send_text(json::serialize(reset));
    json::object request{{"type", "conversation.item.create"},
                         {"timestamp", now + 1},
                         {"item",
                          {{"type", "message"},
                           {"content", json::array{json::object{{"requestId", "img_" + uuid4()},
                                                                {"text", "a red fox"},
                                                                {"type", "input_text"},
                                                                {"properties",
                                                                 {{"section_count", 0},
                                                                  {"is_kids_mode", false},
                                                                  {"enable_nsfw", false},
                                                                  {"skip_upsampler", false},
                                                                  {"enable_side_by_side", true},
                                                                  {"is_initial", false},
                                                                  {"aspect_ratio", "1:1"},
                                                                  {"enable_pro", false},
                                                                  {"num_generations", 2}}}}}}}}};
    co_await ws->send_text(json::serialize(request));
    std::vector<std::string> completed;
    while (completed.size() < 2) {
      auto msg = co_await ws->receive(30s);
      if (!msg) break;
      auto f = json::parse(*msg);
      if (f.at("type") == "error") break;
      if (f.at("type") == "json" && f.as_object().contains("current_status") &&
          f.at("current_status") == "completed")
        completed.push_back(std::string(f.at("image_id").as_string()));
    }
    co_await ws->close();
    co_return completed;
  });
  EXPECT_EQ(frames.size(), 2u);
}

TEST_P(UpstreamAgainstSimulator, StaleSignatureIsResignedOnce) {
  sim_->control("script",
                R"({"sso":"alice-sso-token-0001","call":"rate_limits","fault":"code7","count":1})");
  auto limits = run([&]() -> asio::awaitable<std::string> {
    co_return co_await client_->rest_json(alice_, egress_, "/rest/rate-limits",
                                          R"({"modelName":"fast"})", CallKind::kRateLimits);
  });
  EXPECT_NE(limits.find("totalQueries"), std::string::npos);
  // Twice in a row is not retried forever: the second refusal reaches the caller.
  sim_->control("script",
                R"({"sso":"alice-sso-token-0001","call":"rate_limits","fault":"code7","count":2})");
  auto problem = run([&]() -> asio::awaitable<Problem> {
    try {
      co_await client_->rest_json(alice_, egress_, "/rest/rate-limits", R"({"modelName":"fast"})",
                                  CallKind::kRateLimits);
    } catch (const UpstreamError& e) {
      co_return e.diagnosis().problem;
    }
    co_return Problem::kNone;
  });
  EXPECT_EQ(problem, Problem::kAntiBot);
}

TEST_P(UpstreamAgainstSimulator, CatalogueOfScriptedFaults) {
  struct Case {
    const char* fault;
    Problem expected;
  };
  for (const Case c : {Case{"cloudflare", Problem::kCloudflare}, Case{"429", Problem::kRateLimited},
                       Case{"500", Problem::kServerError}, Case{"blocked", Problem::kBlocked},
                       Case{"401", Problem::kUnauthenticated}}) {
    sim_->control("script",
                  std::string(R"({"sso":"alice-sso-token-0001","call":"rate_limits","fault":")") +
                      c.fault + R"(","count":1})");
    auto problem = run([&]() -> asio::awaitable<Problem> {
      try {
        co_await client_->rest_json(alice_, egress_, "/rest/rate-limits", R"({"modelName":"fast"})",
                                    CallKind::kRateLimits);
      } catch (const UpstreamError& e) {
        co_return e.diagnosis().problem;
      }
      co_return Problem::kNone;
    });
    EXPECT_EQ(problem, c.expected) << c.fault;
  }
}

TEST_P(UpstreamAgainstSimulator, BuildRotationDuringLoadIsInvisible) {
  constexpr int kCalls = 24;
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < kCalls; ++i) {
    if (i == kCalls / 2) sim_->control("rotate");
    results.push_back(asio::co_spawn(
        io_,
        [this]() -> asio::awaitable<std::string> {
          try {
            co_return co_await client_->rest_json(alice_, egress_, "/rest/rate-limits",
                                                  R"({"modelName":"fast"})", CallKind::kRateLimits);
          } catch (const std::exception& e) {
            co_return std::string("failed: ") + e.what();
          }
        },
        asio::use_future));
  }
  for (auto& r : results) EXPECT_EQ(r.get().find("failed"), std::string::npos);
}

TEST_P(UpstreamAgainstSimulator, RestFollowUpContinuesTheConversation) {
  auto lines = run([&]() -> asio::awaitable<std::vector<json::value>> {
    auto first =
        co_await client_->rest(alice_, egress_, "/rest/app-chat/conversations/new",
                               chat_body("[user]\nfirst\n\n", "fast"), CallKind::kRestChat, 30s);
    auto opening = co_await read_ndjson(*first);
    std::string conversation, response;
    for (const auto& l : opening) {
      const auto& r = l.at("result").as_object();
      if (auto* c = r.if_contains("conversation"))
        conversation = std::string(c->at("conversationId").as_string());
      if (auto* resp = r.if_contains("response"))
        if (auto* id = resp->as_object().if_contains("responseId"))
          response = std::string(id->as_string());
    }
    auto body = json::parse(chat_body("[user]\nsecond\n\n", "fast")).as_object();
    body["responseId"] = response;
    auto next = co_await client_->rest(
        alice_, egress_, "/rest/app-chat/conversations/" + conversation + "/responses",
        json::serialize(body), CallKind::kRestChat, 30s);
    co_return co_await read_ndjson(*next);
  });
  EXPECT_FALSE(lines.empty());
}

TEST_P(UpstreamAgainstSimulator, ImageEditAndVideoGeneration) {
  std::string png = "\x89PNG\r\n\x1a\n" + std::string(64, '\0');
  auto outcome = run([&]() -> asio::awaitable<std::pair<size_t, std::string>> {
    auto ref = co_await client_->upload(alice_, egress_, "ref.png", "image/png", png, true);
    json::object edit{{"modelName", "imagine-image-edit"},
                      {"message", "make it blue"},
                      {"enableImageStreaming", true},
                      {"enableSideBySide", true},
                      {"sendFinalMetadata", true},
                      {"mediaGenInput",
                       {{"imageToImage",
                         {{"prompt", "make it blue"},
                          {"inputAssets", json::array{json::value(ref.file_metadata_id)}}}}}}};
    auto es = co_await client_->rest(alice_, egress_, "/rest/app-chat/conversations/new",
                                     json::serialize(edit), CallKind::kRestMedia, 30s);
    auto edit_lines = co_await read_ndjson(*es);
    json::object video{
        {"modelName", "imagine-video-gen"},
        {"message", "a cat playing piano --mode=custom"},
        {"enableImageStreaming", true},
        {"enableSideBySide", true},
        {"sendFinalMetadata", true},
        {"responseMetadata",
         {{"experiments", json::array()}, {"modelConfigOverride", {{"modelMap", json::object()}}}}},
        {"mediaGenInput",
         {{"textToVideo",
           {{"prompt", "a cat playing piano"},
            {"aspectRatio", "9:16"},
            {"duration", 6},
            {"resolutionName", "480p"}}}}},
        {"kind", "CONVERSATION_KIND_IMAGINE"}};
    auto vs = co_await client_->rest(alice_, egress_, "/rest/app-chat/conversations/new",
                                     json::serialize(video), CallKind::kRestMedia, 30s);
    std::string url;
    for (const auto& l : co_await read_ndjson(*vs)) {
      const auto* r = l.at("result").as_object().if_contains("response");
      if (!r) continue;
      if (auto* v = r->as_object().if_contains("streamingVideoGenerationResponse"))
        if (auto* u = v->as_object().if_contains("videoUrl")) url = std::string(u->as_string());
    }
    co_return std::make_pair(edit_lines.size(), url);
  });
  EXPECT_GT(outcome.first, 0u);
  ASSERT_FALSE(outcome.second.empty());
  auto status = run([&]() -> asio::awaitable<long> {
    auto video = client_->asset(alice_, egress_, outcome.second);
    co_return (co_await video->head(30s)).status;
  });
  EXPECT_EQ(status, 200);
}

TEST_P(UpstreamAgainstSimulator, AccountPreparationCalls) {
  auto results = run([&]() -> asio::awaitable<std::vector<std::string>> {
    std::vector<std::string> out;
    out.push_back(co_await client_->rest_json(alice_, egress_, "/rest/auth/set-tos-accepted",
                                              R"({"tosVersion":5})", CallKind::kAccountRest));
    out.push_back(co_await client_->rest_json(alice_, egress_, "/rest/auth/set-birth-date",
                                              R"({"birthDate":"1994-05-17T16:00:00.000Z"})",
                                              CallKind::kAccountRest));
    // Setting it again is refused with a limit that means "already set".
    try {
      co_await client_->rest_json(alice_, egress_, "/rest/auth/set-birth-date",
                                  R"({"birthDate":"1994-05-17T16:00:00.000Z"})",
                                  CallKind::kAccountRest);
      out.push_back("accepted twice");
    } catch (const UpstreamError& e) {
      out.push_back(std::string(to_string(e.diagnosis().problem)));
    }
    // NSFW: gRPC-web frame 0x20 bytes: {1:{2:1}, 2:{1:"always_show_nsfw_content"}}.
    std::string nsfw("\x00\x00\x00\x00\x20\x0a\x02\x10\x01\x12\x1a\x0a\x18", 13);
    nsfw += "always_show_nsfw_content";
    out.push_back(co_await client_->rest_json(alice_, egress_,
                                              "/auth_mgmt.AuthManagement/UpdateUserFeatureControls",
                                              nsfw, CallKind::kGrpcWeb));
    out.push_back(co_await client_->rest_json(alice_, egress_,
                                              "/grok_api_v2.GrokBuildBilling/GetGrokCreditsConfig",
                                              std::string(5, '\0'), CallKind::kGrpcCredits));
    co_return out;
  });
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[2], "ok");  // the birth-date limit reads as success
}

// accounts.x.ai through each egress while grok.com demands clearance: the egress's
// Cloudflare cookies go to grok.com only (the simulator records a violation otherwise).
TEST_P(UpstreamAgainstSimulator, AccountsTosCallCarriesNoCloudflareCookies) {
  // The signer reads the site before grok.com starts asking for clearance.
  run([&]() -> asio::awaitable<std::string> {
    co_return co_await client_->rest_json(alice_, egress_, "/rest/rate-limits",
                                          R"({"modelName":"fast"})", CallKind::kRateLimits);
  });
  sim_->control("cloudflare", R"({"required":true})");
  auto issued = json::parse(
      sim_->control("cloudflare/issue", json::serialize(json::object{{"user_agent", kUserAgent}})));
  egress_.cf_cookies["cf_clearance"] = std::string(issued.at("cf_clearance").as_string());
  egress_.cf_cookies["__cf_bm"] = "bm-value";
  auto answer = run([&]() -> asio::awaitable<HttpResponse> {
    // grok.com lets this one through only with the clearance cookie.
    co_await client_->rest_json(alice_, egress_, "/rest/auth/set-tos-accepted",
                                R"({"tosVersion":5})", CallKind::kAccountRest);
    co_return co_await client_->rest_answer(
        alice_, egress_, "/auth_mgmt.AuthManagement/SetTosAcceptedVersion",
        std::string("\x00\x00\x00\x00\x02\x10\x01", 7), CallKind::kAccountsGrpc);
  });
  EXPECT_EQ(answer.head.status, 200);
  EXPECT_NE(answer.body.find("grpc-status:0"), std::string::npos);
  auto hosts = json::parse(sim_->query("requests?sso=alice-sso-token-0001"));
  std::vector<std::string> seen;
  for (const auto& r : hosts.as_array()) seen.emplace_back(r.at("host").as_string());
  EXPECT_EQ(seen, (std::vector<std::string>{"grok", "grok", "accounts"}));
}

INSTANTIATE_TEST_SUITE_P(Via, UpstreamAgainstSimulator,
                         ::testing::Values(Via::kDirect, Via::kTinyproxy, Via::kMicrosocks),
                         via_name);

}  // namespace
}  // namespace g2a::upstream::grok
