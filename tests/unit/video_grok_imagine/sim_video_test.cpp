// Real generations against the grok.com simulator (tests/simulator), which checks every body
// and header and records a violation for anything wrong: the plan's POST is relayed as the
// host would make it (media path: Referer /imagine) and the stream is fed back in pieces.
// The same for the third-party acme-video adapter, including its "next" call.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include "sim_bridge.hpp"
#include "support/loaded_module.hpp"
#include "video_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class VideoSimGeneration : public SimBridgeSuite {
 protected:
  // One media POST through the bridge; the answer's body, fed in pieces that cut lines.
  static void relay(AdapterTurn& turn, EventLog& log, const json::value& path,
                    const json::value& body) {
    bridge->send({{"op", "rest"}, {"path", path}, {"body", body}, {"referer", "imagine"}});
    auto reply = bridge->next_op("http");
    EXPECT_EQ(reply.at("status"), 200) << json::serialize(reply);
    std::string text(reply.at("body").as_string());
    for (size_t i = 0; i < text.size(); i += 53)
      log.add(turn.feed(std::string_view(text).substr(i, 53)));
  }

  // A whole generation as the host runs it: the plan, then "next" calls until none.
  static EventLog generate(AdapterTurn& turn) {
    EventLog log;
    auto plan = turn.plan();
    EXPECT_EQ(plan.at("call"), "rest_media");
    relay(turn, log, plan.at("path"), plan.at("body"));
    for (int calls = 0; calls < 3; ++calls) {
      auto actions = turn.finish();
      log.add(actions);
      if (!actions.contains("next")) break;
      const auto& next = actions.at("next").as_object();
      EXPECT_EQ(next.at("call"), "rest_media");
      relay(turn, log, next.at("path"), next.at("body"));
    }
    return log;
  }

  static std::string video_url(const EventLog& log) {
    auto videos = log.of("video");
    return videos.size() == 1 ? std::string(videos[0].at("url").as_string()) : std::string();
  }

  TestHost host;
  AdapterClient client{host};
};

TEST_F(VideoSimGeneration, TextToVideoForEachModel) {
  for (const char* model : {"grok-imagine-0.9", "sora-2", "sora-2-pro"}) {
    auto turn = client.begin(video_request({{"model", model}, {"size", "1792x1024"}}));
    ASSERT_TRUE(turn);
    auto log = generate(*turn);
    EXPECT_NE(video_url(log).find("generated_video.mp4"), std::string::npos)
        << model << ": " << json::serialize(json::value_from(log.summary()));
    EXPECT_EQ(log.of("progress").size(), 6u) << "1, 20, 45, 70, 95, 100";
    auto videos = log.of("video");
    ASSERT_EQ(videos.size(), 1u);
    EXPECT_EQ(videos[0].at("resolution"), std::string(model) == "sora-2" ? "480p" : "720p");
    EXPECT_FALSE(videos[0].at("thumbnail_url").as_string().empty());
  }
}

TEST_F(VideoSimGeneration, ImageToVideoWithAnUploadedReference) {
  bridge->send({{"op", "upload_image"}});
  auto uploaded = bridge->next_op("uploaded");
  ASSERT_EQ(uploaded.at("status"), 200) << json::serialize(uploaded);
  const auto& meta = uploaded.at("json").at("fileMetadata");
  auto turn = client.begin(video_request(
      {{"reference", {{"file_id", meta.at("fileMetadataId")}, {"file_uri", meta.at("fileUri")}}}}));
  ASSERT_TRUE(turn);
  EXPECT_TRUE(plan_body(*turn).at("mediaGenInput").as_object().contains("imageToVideo"));
  EXPECT_NE(video_url(generate(*turn)), "");
}

TEST_F(VideoSimGeneration, AModeratedPromptFails) {
  auto turn = client.begin(video_request({{"prompt", "please moderate this"}}));
  ASSERT_TRUE(turn);
  auto errors = generate(*turn).of("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("code"), "moderated");
}

TEST_F(VideoSimGeneration, TheThirdPartyAdapterSubmitsThenPolls) {
  LoadedModule<g2a_model_adapter_v1> acme(G2A_ACME_VIDEO_MODULE, G2A_KIND_MODEL_ADAPTER, "{}");
  ASSERT_EQ(acme.create_status(), G2A_OK);
  std::string req =
      video_request({{"model", "acme-video-1"}, {"size", "1280x720"}, {"seconds", 5}});
  void* handle = nullptr;
  g2a_buf plan{nullptr, 0}, err{nullptr, 0};
  ASSERT_EQ(acme.table()->begin(acme.instance(), {req.data(), req.size()}, &handle, &plan, &err),
            G2A_OK)
      << acme.host().base().adopt(err);
  AdapterTurn turn(acme.host().base(), acme.table(), handle, acme.host().base().adopt(plan));
  auto log = generate(turn);
  EXPECT_NE(video_url(log).find("generated_video.mp4"), std::string::npos)
      << json::serialize(json::value_from(log.summary()));
  EXPECT_EQ(log.all().back().at("type"), "done");
}

}  // namespace
}  // namespace g2a::test
