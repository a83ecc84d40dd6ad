#include "core/video/video_models.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/chat/adapter_host.hpp"
#include "core/ops/logging.hpp"

namespace g2a::video {
namespace json = boost::json;

namespace {

std::string text(const json::object& o, std::string_view key, std::string fallback = {}) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::move(fallback);
}

std::optional<int> small_int(const json::value* v) {
  if (!v || !v->is_int64() || v->as_int64() < 1 || v->as_int64() > 3600) return std::nullopt;
  return static_cast<int>(v->as_int64());
}

std::vector<std::string> strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& s : v->as_array())
      if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace

std::vector<std::string> VideoModel::tiers_for(int seconds) const {
  std::vector<std::string> all =
      tiers.empty() ? std::vector<std::string>{"basic", "super", "heavy"} : tiers;
  std::vector<std::string> out;
  if (seconds > max_seconds) return out;
  for (const auto& t : all) {
    auto it = max_seconds_by_tier.find(t);
    if (it == max_seconds_by_tier.end() || seconds <= it->second) out.push_back(t);
  }
  return out;
}

chat::TokenRequirement VideoModel::requirement(int seconds) const {
  chat::TokenRequirement need;
  need.mode = quota.empty() ? "video" : quota;
  need.tiers = tiers_for(seconds);
  if (!quota.empty()) need.media = quota;
  need.tier_from_pool = true;
  return need;
}

std::optional<VideoModel> VideoModels::parse_entry(const std::string& entry_json,
                                                   std::string& error) {
  json::error_code ec;
  auto v = json::parse(entry_json, ec);
  if (ec || !v.is_object()) {
    error = "a models() entry is not a JSON object";
    return std::nullopt;
  }
  const auto& o = v.as_object();
  if (text(o, "kind") != "video") return std::nullopt;
  VideoModel m;
  m.id = text(o, "id");
  if (m.id.empty()) {
    error = "a video model has no \"id\"";
    return std::nullopt;
  }
  m.description = text(o, "description");
  m.quota = text(o, "quota");
  m.tiers = strings(o, "tiers");
  m.sizes = strings(o, "sizes");
  m.default_size = text(o, "default_size", m.sizes.empty() ? "720x1280" : m.sizes.front());
  if (auto* s = o.if_contains("seconds"); s && s->is_object()) {
    const auto& so = s->as_object();
    if (auto max = small_int(so.if_contains("max"))) m.max_seconds = *max;
    if (auto def = small_int(so.if_contains("default"))) m.default_seconds = *def;
    if (auto* by = so.if_contains("max_by_tier"); by && by->is_object())
      for (const auto& [tier, limit] : by->as_object())
        if (auto n = small_int(&limit)) m.max_seconds_by_tier[std::string(tier)] = *n;
  }
  m.default_seconds = std::min(m.default_seconds, m.max_seconds);
  if (auto* r = o.if_contains("references"); r && r->is_bool()) m.references = r->as_bool();
  m.resolution = text(o, "resolution");
  m.quality = text(o, "quality", "standard");
  return m;
}

void VideoModels::add_adapter(chat::AdapterHost& adapter) {
  json::error_code ec;
  auto list = json::parse(adapter.models(), ec);
  if (ec || !list.is_array())
    throw std::runtime_error("plugin '" + adapter.plugin_id() + "': models() is not a JSON array");
  for (const auto& entry : list.as_array()) {
    std::string error;
    auto m = parse_entry(json::serialize(entry), error);
    if (!error.empty()) throw std::runtime_error("plugin '" + adapter.plugin_id() + "': " + error);
    if (!m) continue;
    if (find(m->id)) {
      ops::logger("Video")->warn("video model '{}' of plugin '{}' is already served by '{}'", m->id,
                                 adapter.plugin_id(), find(m->id)->adapter_id);
      continue;
    }
    m->adapter = &adapter;
    m->adapter_id = adapter.plugin_id();
    models_.push_back(std::move(*m));
  }
}

const VideoModel* VideoModels::find(const std::string& id) const {
  for (const auto& m : models_)
    if (m.id == id) return &m;
  return nullptr;
}

}  // namespace g2a::video
