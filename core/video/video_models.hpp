// The video models the loaded video-adapter plugins serve (plugin.h, "Video"), and what
// each accepts: sizes, durations per account tier, reference images, the quota charged.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chat/token_source.hpp"

namespace g2a::chat {
class AdapterHost;
}

namespace g2a::video {

struct VideoModel {
  std::string id;
  std::string description;
  std::string quota;               // quota_info kind ("video", "video720p")
  std::vector<std::string> tiers;  // tiers that may serve it; empty = any
  std::vector<std::string> sizes;  // accepted sizes; empty = any WxH
  std::string default_size = "720x1280";
  int default_seconds = 6;
  int max_seconds = 10;
  std::map<std::string, int> max_seconds_by_tier;  // lower limits ("basic" -> 6)
  bool references = true;
  std::string resolution;  // shown, "480p"
  std::string quality = "standard";
  chat::AdapterHost* adapter = nullptr;  // who serves it
  std::string adapter_id;

  // Tiers that may serve a video of this length (the model's tiers minus those whose
  // limit is lower); empty when none can.
  std::vector<std::string> tiers_for(int seconds) const;
  // The accounts that may make a video of this length: the tiers above, charged to the
  // model's quota kind; an account of unknown tier counts as its pool's.
  chat::TokenRequirement requirement(int seconds) const;
};

class VideoModels {
 public:
  // Reads every adapter's models() and keeps the "video" entries; an id served twice
  // keeps the first adapter (and the log says so). Throws std::runtime_error for an
  // entry that cannot be read (naming the plugin).
  void add_adapter(chat::AdapterHost& adapter);
  // Parses one models() entry (for tests).
  static std::optional<VideoModel> parse_entry(const std::string& entry_json, std::string& error);

  const VideoModel* find(const std::string& id) const;
  const std::vector<VideoModel>& all() const { return models_; }

 private:
  std::vector<VideoModel> models_;
};

}  // namespace g2a::video
