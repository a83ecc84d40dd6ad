#include "imagine_adapter.hpp"

#include "media_body.hpp"
#include "video_request.hpp"
#include "video_turn.hpp"

namespace g2a::grok_imagine {

ImagineAdapter::ImagineAdapter(g2a::Host host) {
  std::vector<std::string> unknown;
  config_ = read_config(host.config_json(), unknown);
  for (const auto& key : unknown)
    host.warn("[plugins.video-grok-imagine] ignores the unknown key \"" + key +
              "\" (it reads preset and resolution)");
}

std::string ImagineAdapter::models() {
  return models_json(config_);
}

std::unique_ptr<g2a::AdapterTurn> ImagineAdapter::begin(std::string_view request_json,
                                                        std::string& plan) {
  VideoRequest req = read_video_request(request_json, config_);
  plan = video_plan(req, config_.preset);
  return std::make_unique<VideoTurn>(req.model->resolution);
}

}  // namespace g2a::grok_imagine
