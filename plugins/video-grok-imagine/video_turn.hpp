// One video generation: the stream reader behind the turn interface of the SDK, answering
// the actions of plugin.h (no frames to send; close once the result or an error is known).
#pragma once

#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>

#include "video_stream.hpp"

namespace g2a::grok_imagine {

class VideoTurn final : public g2a::AdapterTurn {
 public:
  explicit VideoTurn(std::string resolution) : stream_(std::move(resolution)) {}

  std::string feed(std::string_view data) override;
  std::string finish() override;

 private:
  std::string actions();

  VideoStream stream_;
};

}  // namespace g2a::grok_imagine
