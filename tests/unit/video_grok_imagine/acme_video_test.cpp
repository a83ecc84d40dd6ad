// The third-party test adapter tests/plugins/acme_video.c, loaded from its .so like the
// host loads it: its model entry, its own textToVideo body, and the submit-then-poll shape
// (finish() answers a "next" call; the poll's body is fed; the second finish() has the video).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/loaded_module.hpp"
#include "video_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class AcmeVideo : public ::testing::Test {
 protected:
  AcmeVideo() : module(G2A_ACME_VIDEO_MODULE, G2A_KIND_MODEL_ADAPTER, "{}") {}

  std::unique_ptr<AdapterTurn> begin(const std::string& request, BeginFailure* failure = nullptr) {
    void* turn = nullptr;
    g2a_buf plan{nullptr, 0}, err{nullptr, 0};
    auto* api = module.table();
    g2a_status st =
        api->begin(module.instance(), g2a_str{request.data(), request.size()}, &turn, &plan, &err);
    std::string message = host().adopt(err);
    std::string plan_text = host().adopt(plan);
    if (st != G2A_OK) {
      if (failure) *failure = BeginFailure{st, message};
      return nullptr;
    }
    return std::make_unique<AdapterTurn>(host(), api, turn, std::move(plan_text));
  }
  TestHost& host() { return module.host().base(); }
  static std::string request(const json::object& extra = {}) {
    json::object base{{"model", "acme-video-1"}, {"size", "1280x720"}, {"seconds", 5}};
    for (const auto& [k, v] : extra) base[k] = v;
    return video_request(base);
  }

  LoadedModule<g2a_model_adapter_v1> module;
};

TEST_F(AcmeVideo, ClaimsAbi13AndListsItsModel) {
  ASSERT_EQ(module.create_status(), G2A_OK) << module.create_error();
  EXPECT_STREQ(module.descriptor().id, "acme-video");
  EXPECT_EQ(module.descriptor().abi_version, (1u << 16) | 3u);
  g2a_buf out{nullptr, 0};
  ASSERT_EQ(module.table()->models(module.instance(), &out), G2A_OK);
  auto models = json::parse(host().adopt(out)).as_array();
  ASSERT_EQ(models.size(), 1u);
  const auto& m = models[0].as_object();
  EXPECT_EQ(m.at("id"), "acme-video-1");
  EXPECT_EQ(m.at("kind"), "video");
  EXPECT_EQ(m.at("quota"), "video720p");
  EXPECT_EQ(m.at("resolution"), "480p");
  EXPECT_EQ(m.at("sizes"), json::array{"1280x720"});
  EXPECT_EQ(json::serialize(m.at("seconds")), R"({"default":5,"max":5})");
  EXPECT_EQ(m.at("references"), false);
}

TEST_F(AcmeVideo, BuildsTheTextToVideoBodyItself) {
  auto turn = begin(request({{"prompt", "say \"hi\"\nthen go"}, {"seconds", 3}}));
  ASSERT_TRUE(turn);
  auto plan = turn->plan();
  EXPECT_EQ(plan.at("call"), "rest_media");
  EXPECT_EQ(plan.at("path"), "/rest/app-chat/conversations/new");
  auto body = plan_body(*turn);
  EXPECT_EQ(body.at("modelName"), "imagine-video-gen");
  EXPECT_EQ(body.at("message"), "say \"hi\"\nthen go --mode=custom");
  EXPECT_EQ(body.at("kind"), "CONVERSATION_KIND_IMAGINE");
  EXPECT_EQ(json::serialize(body.at("mediaGenInput")),
            R"({"textToVideo":{"prompt":"say \"hi\"\nthen go","aspectRatio":"16:9","duration":3,)"
            R"("resolutionName":"480p"}})");
}

TEST_F(AcmeVideo, SubmitsThenPolls) {
  auto turn = begin(request());
  ASSERT_TRUE(turn);
  EventLog log;
  std::string body = spec_video_body();
  // Fed in pieces that cut lines, as the network does.
  for (size_t at = 0; at < body.size(); at += 37) log.add(turn->feed(body.substr(at, 37)));
  EXPECT_EQ(log.of("progress").size(), 3u);
  auto first = turn->finish();
  EXPECT_TRUE(events_of(first).empty()) << json::serialize(first);
  ASSERT_TRUE(first.contains("next")) << json::serialize(first);
  EXPECT_EQ(
      json::serialize(first.at("next")),
      R"({"call":"rest_media","path":"/rest/media/imagine/quota_info","body":"{}","delay_ms":10})");
  log.add(turn->feed(R"({"image":null,"imageEdit":null,"imagePro":null,"video":null,)"));
  log.add(turn->feed(
      R"("video720p":{"available":true,"remainingQueries":9,"windowSizeSeconds":86400}})"));
  auto second = turn->finish();
  EXPECT_FALSE(second.contains("next"));
  log.add(second);
  auto videos = log.of("video");
  ASSERT_EQ(videos.size(), 1u);
  EXPECT_EQ(videos[0].at("url"), "users/user_1/generated/video_1/generated_video.mp4");
  EXPECT_EQ(videos[0].at("thumbnail_url"), "users/user_1/generated/video_1/preview_image.jpg");
  EXPECT_EQ(videos[0].at("resolution"), "480p");
  EXPECT_EQ(log.all().back().at("type"), "done");
}

TEST_F(AcmeVideo, FailsWithoutAVideoOrAProperPoll) {
  auto moderated = begin(request());
  ASSERT_TRUE(moderated);
  auto log = play(*moderated, moderated_video_body());
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "moderated");

  auto empty = begin(request());
  ASSERT_TRUE(empty);
  auto none = play(*empty, R"({"result":{"response":{"token":"no"}}})");
  ASSERT_EQ(none.of("error").size(), 1u);
  EXPECT_EQ(none.of("error")[0].at("code"), "no_video_generated");

  auto bad_poll = begin(request());
  ASSERT_TRUE(bad_poll);
  play(*bad_poll, spec_video_body());  // its finish() asked for the poll
  bad_poll->feed("<html>oops</html>");
  auto events = events_of(bad_poll->finish());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("code"), "poll_failed");
}

TEST_F(AcmeVideo, RefusesWhatItCannotMake) {
  for (const auto& [req, fragment] : std::vector<std::pair<std::string, std::string>>{
           {request({{"seconds", 6}}), "seconds must be from 1 to 5"},
           {request({{"size", "720x1280"}}), "size must be 1280x720"},
           {request({{"model", "sora-2"}}), "serves only acme-video-1"},
           {request({{"reference", {{"file_id", "f1"}}}}), "no reference image"},
           {request({{"kind", "chat"}}), "kind must be"}}) {
    BeginFailure failure;
    EXPECT_FALSE(begin(req, &failure)) << req;
    EXPECT_EQ(failure.status, G2A_BAD_ARGUMENT);
    EXPECT_NE(failure.message.find(fragment), std::string::npos) << failure.message;
  }
}

}  // namespace
}  // namespace g2a::test
