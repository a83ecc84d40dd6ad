#include "video_fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace g2a::test {

namespace json = boost::json;

std::string video_request(const json::object& extra) {
  json::object req{
      {"kind", "video"}, {"model", "sora-2"},  {"prompt", "a red fox running through snow"},
      {"seconds", 6},    {"size", "720x1280"}, {"tier", "super"}};
  for (const auto& [k, v] : extra) req[k] = v;
  return json::serialize(req);
}

json::object to_object(std::string_view json_text) {
  boost::system::error_code ec;
  auto v = json::parse(json_text, ec);
  EXPECT_FALSE(ec) << json_text;
  return v.is_object() ? v.get_object() : json::object();
}

json::object plan_body(const AdapterTurn& turn) {
  auto plan = turn.plan();
  EXPECT_TRUE(plan.contains("body")) << turn.plan_text();
  return plan.contains("body") ? to_object(plan.at("body").as_string()) : json::object();
}

std::string spec_video_body() {
  return R"({"result":{"conversation":{"conversationId":"conversation_1"}}}
{"result":{"response":{"streamingVideoGenerationResponse":{"videoId":"video_1","progress":1,"videoPostId":"post_1","resolutionName":"720p"}}}}
{"result":{"response":{"streamingVideoGenerationResponse":{"videoId":"video_1","progress":95,"videoPostId":"post_1"}}}}
{"result":{"response":{"streamingVideoGenerationResponse":{"videoId":"video_1","progress":100,"assetId":"video_1","videoPostId":"post_1","videoUrl":"users/user_1/generated/video_1/generated_video.mp4","thumbnailImageUrl":"users/user_1/generated/video_1/preview_image.jpg","moderated":false}}}}
{"result":{"response":{"token":"I generated a video","isSoftStop":true}}}
)";
}

std::string moderated_video_body() {
  return R"({"result":{"conversation":{"conversationId":"c2","title":"New conversation","temporary":true}}}
{"result":{"response":{"isThinking":false,"isSoftStop":false,"responseId":"r2","streamingVideoGenerationResponse":{"videoId":"v2","progress":1,"videoPostId":"p2","resolutionName":"480p"}}}}
{"result":{"response":{"isThinking":false,"isSoftStop":false,"responseId":"r2","streamingVideoGenerationResponse":{"videoId":"v2","progress":20,"videoPostId":"p2"}}}}
{"result":{"response":{"isThinking":false,"isSoftStop":false,"responseId":"r2","streamingVideoGenerationResponse":{"videoId":"v2","progress":100,"videoPostId":"p2","moderated":true}}}}
{"result":{"response":{"isThinking":false,"responseId":"r2","token":"I generated a video","isSoftStop":true}}}
)";
}

EventLog play(AdapterTurn& turn, std::string_view body, const std::vector<size_t>& cuts) {
  EventLog log;
  size_t from = 0;
  for (size_t cut : cuts) {
    log.add(turn.feed(body.substr(from, cut - from)));
    from = cut;
  }
  log.add(turn.feed(body.substr(from)));
  log.add(turn.finish());
  return log;
}

}  // namespace g2a::test
