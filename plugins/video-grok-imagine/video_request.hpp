// The video turn request of plugin.h ("Turn request (video)"), read and checked against the
// model table: a request this adapter cannot serve is refused before anything is sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model_table.hpp"

namespace g2a::grok_imagine {

struct VideoRequest {
  const VideoModelSpec* model = nullptr;
  std::string prompt;
  int seconds = kDefaultSeconds;
  std::string size;                              // one of size_aspects()
  std::string aspect;                            // its aspect ratio
  std::string tier;                              // the account's tier, "" when not given
  std::optional<std::string> reference_file_id;  // image-to-video
};

// Throws g2a::Error(G2A_BAD_ARGUMENT) with a message naming the field.
VideoRequest read_video_request(std::string_view request_json, const AdapterConfig& config);

}  // namespace g2a::grok_imagine
