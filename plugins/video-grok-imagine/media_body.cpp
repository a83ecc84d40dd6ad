#include "media_body.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace g2a::grok_imagine {

namespace json = boost::json;

std::string video_body(const VideoRequest& req, std::string_view preset) {
  json::object input{{"prompt", req.prompt}};
  if (req.reference_file_id) input["inputAssets"] = json::array{*req.reference_file_id};
  input["aspectRatio"] = req.aspect;
  input["duration"] = req.seconds;
  input["resolutionName"] = req.model->resolution;
  if (req.reference_file_id) input["mode"] = preset;
  json::object media;
  media[req.reference_file_id ? "imageToVideo" : "textToVideo"] = std::move(input);
  json::object body{
      {"modelName", "imagine-video-gen"},
      {"message", req.prompt + " --mode=" + std::string(preset)},
      {"enableImageStreaming", true},
      {"enableSideBySide", true},
      {"sendFinalMetadata", true},
      {"responseMetadata",
       {{"experiments", json::array()}, {"modelConfigOverride", {{"modelMap", json::object()}}}}},
      {"mediaGenInput", std::move(media)},
      {"kind", "CONVERSATION_KIND_IMAGINE"},
  };
  return json::serialize(body);
}

std::string video_plan(const VideoRequest& req, std::string_view preset) {
  return json::serialize(json::object{{"transport", "http"},
                                      {"call", "rest_media"},
                                      {"method", "POST"},
                                      {"path", kVideoPath},
                                      {"body", video_body(req, preset)}});
}

}  // namespace g2a::grok_imagine
