// models() and begin(): what each model accepts, the exact §2.6 bodies, the config
// overrides, and clear refusals of what grok.com cannot make.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "video_fixtures.hpp"

// Linked into the test from plugins/video-grok-imagine/plugin_entry.cpp.
extern "C" const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host);

namespace g2a::test {
namespace {

namespace json = boost::json;

json::array models_of(AdapterClient& client) {
  auto v = json::parse(client.models());
  EXPECT_TRUE(v.is_array());
  return v.is_array() ? v.get_array() : json::array();
}

const json::object* model(const json::array& models, std::string_view id) {
  for (const auto& m : models)
    if (m.at("id").as_string() == id) return &m.get_object();
  return nullptr;
}

TEST(VideoGrokImagineModels, ListsTheThreeVideoModels) {
  TestHost host;
  AdapterClient client(host);
  auto models = models_of(client);
  ASSERT_EQ(models.size(), 3u) << json::serialize(models);
  struct Want {
    const char* id;
    const char* resolution;
    const char* quota;
    const char* quality;
  };
  for (Want w : {Want{"grok-imagine-0.9", "720p", "video720p", "standard"},
                 Want{"sora-2", "480p", "video", "standard"},
                 Want{"sora-2-pro", "720p", "video720p", "high"}}) {
    const auto* m = model(models, w.id);
    ASSERT_NE(m, nullptr) << w.id;
    EXPECT_EQ(m->at("kind"), "video");
    EXPECT_EQ(m->at("resolution"), w.resolution) << w.id;
    EXPECT_EQ(m->at("quota"), w.quota) << w.id;
    EXPECT_EQ(m->at("quality"), w.quality) << w.id;
    EXPECT_EQ(m->at("tiers"), (json::array{"basic", "super", "heavy"}));
    EXPECT_EQ(m->at("sizes"), (json::array{"720x1280", "1280x720", "1024x1792", "1792x1024",
                                           "1024x1024", "1536x1024", "1024x1536"}));
    EXPECT_EQ(m->at("default_size"), "720x1280");
    EXPECT_EQ(json::serialize(m->at("seconds")),
              R"({"default":6,"max":10,"max_by_tier":{"basic":6}})");
    EXPECT_EQ(m->at("references"), true);
    EXPECT_FALSE(m->at("description").as_string().empty());
  }
}

TEST(VideoGrokImagineRequest, TextToVideoIsTheCurrentBody) {
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(video_request({{"seconds", 8}, {"size", "1280x720"}}));
  ASSERT_TRUE(turn);
  auto plan = turn->plan();
  EXPECT_EQ(plan.at("transport"), "http");
  EXPECT_EQ(plan.at("call"), "rest_media");
  EXPECT_EQ(plan.at("method"), "POST");
  EXPECT_EQ(plan.at("path"), "/rest/app-chat/conversations/new");
  // Key for key and in order, the body of spec §2.6.
  EXPECT_EQ(
      std::string(plan.at("body").as_string()),
      R"({"modelName":"imagine-video-gen","message":"a red fox running through snow --mode=custom",)"
      R"("enableImageStreaming":true,"enableSideBySide":true,"sendFinalMetadata":true,)"
      R"("responseMetadata":{"experiments":[],"modelConfigOverride":{"modelMap":{}}},)"
      R"("mediaGenInput":{"textToVideo":{"prompt":"a red fox running through snow",)"
      R"("aspectRatio":"16:9","duration":8,"resolutionName":"480p"}},)"
      R"("kind":"CONVERSATION_KIND_IMAGINE"})");
}

TEST(VideoGrokImagineRequest, ImageToVideoNamesTheUploadedReference) {
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(video_request(
      {{"model", "sora-2-pro"},
       {"size", "1024x1024"},
       {"reference",
        {{"file_id", "file-abc_123"}, {"file_uri", "users/u/file-abc_123/content"}}}}));
  ASSERT_TRUE(turn);
  auto body = plan_body(*turn);
  EXPECT_EQ(json::serialize(body.at("mediaGenInput")),
            R"({"imageToVideo":{"prompt":"a red fox running through snow",)"
            R"("inputAssets":["file-abc_123"],"aspectRatio":"1:1","duration":6,)"
            R"("resolutionName":"720p","mode":"custom"}})");
  EXPECT_EQ(body.at("kind"), "CONVERSATION_KIND_IMAGINE");
}

TEST(VideoGrokImagineRequest, SizesBecomeAspectRatios) {
  TestHost host;
  AdapterClient client(host);
  std::pair<const char*, const char*> table[] = {
      {"720x1280", "9:16"}, {"1280x720", "16:9"}, {"1024x1792", "2:3"}, {"1792x1024", "3:2"},
      {"1024x1024", "1:1"}, {"1536x1024", "3:2"}, {"1024x1536", "2:3"}};
  for (auto [size, aspect] : table) {
    auto turn = client.begin(video_request({{"size", size}}));
    ASSERT_TRUE(turn) << size;
    EXPECT_EQ(plan_body(*turn).at("mediaGenInput").at("textToVideo").at("aspectRatio"), aspect)
        << size;
  }
}

TEST(VideoGrokImagineRequest, DefaultsApplyWhenSizeAndSecondsAreAbsent) {
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(R"({"kind":"video","model":"grok-imagine-0.9","prompt":"waves"})");
  ASSERT_TRUE(turn);
  auto t2v = plan_body(*turn).at("mediaGenInput").at("textToVideo");
  EXPECT_EQ(t2v.at("aspectRatio"), "9:16");
  EXPECT_EQ(t2v.at("duration"), 6);
  EXPECT_EQ(t2v.at("resolutionName"), "720p");
}

TEST(VideoGrokImagineRequest, RefusesWhatItCannotServeNamingTheField) {
  TestHost host;
  AdapterClient client(host);
  struct Case {
    std::string request;
    std::string fragment;
  };
  std::vector<Case> cases = {
      {video_request({{"seconds", 12}}), "seconds must be a whole number from 1 to 10"},
      {video_request({{"seconds", 0}}), "seconds must be a whole number from 1 to 10"},
      {video_request({{"seconds", 2.5}}), "seconds must be a whole number"},
      {video_request({{"seconds", "6"}}), "seconds must be a whole number"},
      {video_request({{"seconds", 8}, {"tier", "basic"}}),
       "basic (free) accounts make at most 6 s"},
      {video_request({{"size", "640x480"}}), "size \"640x480\" is not supported by sora-2"},
      {video_request({{"model", "sora-3"}}),
       "model \"sora-3\" is not a video model of video-grok-imagine (grok-imagine-0.9, sora-2, "
       "sora-2-pro)"},
      {video_request({{"kind", "chat"}}), "kind must be \"video\""},
      {video_request({{"prompt", ""}}), "prompt must be a non-empty string"},
      {video_request({{"prompt", 3}}), "prompt must be a string"},
      {video_request({{"reference", {{"file_id", "../etc"}}}}), "reference.file_id"},
      {video_request({{"reference", "x"}}), "reference.file_id"},
      {"[1]", "not a JSON object"},
      {"{", "not a JSON object"},
  };
  for (const auto& c : cases) {
    BeginFailure failure;
    EXPECT_FALSE(client.begin(c.request, &failure)) << c.request;
    EXPECT_EQ(failure.status, G2A_BAD_ARGUMENT) << c.request;
    EXPECT_NE(failure.message.find(c.fragment), std::string::npos)
        << c.request << " -> " << failure.message;
  }
  // Six seconds is what a free account can make; any tier may ask for ten.
  EXPECT_TRUE(client.begin(video_request({{"seconds", 6}, {"tier", "basic"}})));
  EXPECT_TRUE(client.begin(video_request({{"seconds", 10}, {"tier", "heavy"}})));
  EXPECT_TRUE(client.begin(video_request({{"seconds", 10}, {"tier", "auto"}})));
  EXPECT_TRUE(client.begin(video_request({{"reference", nullptr}})));
}

TEST(VideoGrokImagineConfig, OverridesResolutionAndPreset) {
  TestHost host;
  host.set_config(
      R"({"required":true,"preset":"extremely-crazy","resolution":{"sora-2":"720p","sora-2-pro":"480p"}})");
  AdapterClient client(host);
  auto models = models_of(client);
  EXPECT_EQ(model(models, "sora-2")->at("resolution"), "720p");
  EXPECT_EQ(model(models, "sora-2")->at("quota"), "video720p");
  EXPECT_EQ(model(models, "sora-2-pro")->at("quota"), "video");
  EXPECT_EQ(model(models, "grok-imagine-0.9")->at("resolution"), "720p");

  auto turn = client.begin(video_request({{"reference", {{"file_id", "f1"}}}}));
  ASSERT_TRUE(turn);
  auto body = plan_body(*turn);
  EXPECT_EQ(body.at("message"), "a red fox running through snow --mode=extremely-crazy");
  EXPECT_EQ(body.at("mediaGenInput").at("imageToVideo").at("mode"), "extremely-crazy");
  EXPECT_EQ(body.at("mediaGenInput").at("imageToVideo").at("resolutionName"), "720p");
  EXPECT_FALSE(host.logged("unknown key"));
}

TEST(VideoGrokImagineConfig, ABadValueFailsCreationNamingTheKey) {
  struct Case {
    const char* table;
    const char* fragment;
  };
  for (Case c :
       {Case{R"({"preset":"wild"})",
             "preset must be one of custom|normal|extremely-crazy|extremely-spicy-or-crazy"},
        Case{R"({"resolution":{"sora-2":"1080p"}})",
             "resolution.sora-2 must be \"480p\" or \"720p\""},
        Case{R"({"resolution":{"veo":"720p"}})", "resolution.veo: not a model of this plugin"},
        Case{R"({"resolution":"720p"})", "resolution must be a table"}}) {
    TestHost host;
    host.set_config(c.table);
    const g2a_plugin_v1* plugin = g2a_plugin_entry_v1(host.host());
    ASSERT_NE(plugin, nullptr);
    void* inst = nullptr;
    g2a_buf err{nullptr, 0};
    EXPECT_EQ(plugin->create(host.host(), host.ctx(), &inst, &err), G2A_BAD_ARGUMENT) << c.table;
    std::string message = host.adopt(err);
    EXPECT_NE(message.find("[plugins.video-grok-imagine] "), std::string::npos) << message;
    EXPECT_NE(message.find(c.fragment), std::string::npos) << message;
    if (inst) plugin->destroy(inst);
  }
}

TEST(VideoGrokImagineConfig, UnknownKeysAreLoggedAndIgnored) {
  TestHost host;
  host.set_config(R"({"presets":"normal"})");
  AdapterClient client(host);
  EXPECT_TRUE(host.logged("ignores the unknown key \"presets\"", G2A_LOG_WARN));
  auto turn = client.begin(video_request());
  ASSERT_TRUE(turn);
  EXPECT_EQ(plan_body(*turn).at("message"), "a red fox running through snow --mode=custom");
}

}  // namespace
}  // namespace g2a::test
