// The video models this plugin serves, what each accepts, and how [plugins.video-grok-imagine]
// changes them. Everything a request is checked against lives here, so models() and begin()
// cannot disagree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok_imagine {

// grok.com makes at most 10 s (longer streams end without a URL) and free accounts at most
// 6 s (longer is refused with 429): spec §2.6.
inline constexpr int kDefaultSeconds = 6;
inline constexpr int kMaxSeconds = 10;
inline constexpr int kBasicMaxSeconds = 6;

struct VideoModelSpec {
  std::string id;
  std::string description;
  std::string resolution;  // grok.com resolutionName: "480p" or "720p"
  std::string quality;     // shown to clients
};

struct SizeAspect {
  std::string_view size;    // OpenAI size, WxH
  std::string_view aspect;  // grok.com aspectRatio
};

// Every accepted size and its aspect ratio (spec §2.6's table), in the order models() lists
// them.
const std::vector<SizeAspect>& size_aspects();
// The aspect ratio of an accepted size, or "" for any other.
std::string_view aspect_ratio(std::string_view size);
inline constexpr std::string_view kDefaultSize = "720x1280";

// The quota_info kind a resolution is charged to (spec §2.10b): 720p -> video720p, else video.
std::string_view quota_of(std::string_view resolution);

struct AdapterConfig {
  std::string preset = "custom";  // the --mode= suffix and imageToVideo.mode
  std::vector<VideoModelSpec> models;

  const VideoModelSpec* find(std::string_view id) const;
  // "grok-imagine-0.9, sora-2, sora-2-pro", for messages.
  std::string ids() const;
};

// The built-in models with the overrides of a config table (JSON, as host->config_get gives
// it). Throws g2a::Error(G2A_BAD_ARGUMENT) naming the key for a value it cannot use; keys it
// does not know are added to `unknown_keys`.
AdapterConfig read_config(std::string_view table_json, std::vector<std::string>& unknown_keys);

// The models() answer (plugin.h, "Video").
std::string models_json(const AdapterConfig& config);

}  // namespace g2a::grok_imagine
