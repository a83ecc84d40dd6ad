#include "model_table.hpp"

#include <grok2api/plugin.hpp>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace g2a::grok_imagine {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 4> kPresets = {"custom", "normal", "extremely-crazy",
                                                      "extremely-spicy-or-crazy"};

std::vector<VideoModelSpec> builtin_models() {
  return {
      {"grok-imagine-0.9", "grok.com Imagine video (720p)", "720p", "standard"},
      {"sora-2", "Video by grok.com Imagine, named like OpenAI's sora-2 (480p)", "480p",
       "standard"},
      {"sora-2-pro", "Video by grok.com Imagine, named like OpenAI's sora-2-pro (720p)", "720p",
       "high"},
  };
}

[[noreturn]] void bad(const std::string& message) {
  throw g2a::Error(G2A_BAD_ARGUMENT, "[plugins.video-grok-imagine] " + message);
}

std::string joined(const auto& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "|") + std::string(s);
  return out;
}

void read_preset(const json::value& v, AdapterConfig& config) {
  const auto* s = v.if_string();
  for (auto p : kPresets)
    if (s && *s == p) {
      config.preset = std::string(p);
      return;
    }
  bad("preset must be one of " + joined(kPresets));
}

void read_resolutions(const json::value& v, AdapterConfig& config) {
  const auto* table = v.if_object();
  if (!table) bad("resolution must be a table of model id = \"480p\" | \"720p\"");
  for (const auto& [key, value] : *table) {
    std::string id(key);
    VideoModelSpec* model = nullptr;
    for (auto& m : config.models)
      if (m.id == id) model = &m;
    if (!model) bad("resolution." + id + ": not a model of this plugin (" + config.ids() + ")");
    const auto* s = value.if_string();
    if (!s || (*s != "480p" && *s != "720p"))
      bad("resolution." + id + " must be \"480p\" or \"720p\"");
    model->resolution = std::string(*s);
  }
}

}  // namespace

const std::vector<SizeAspect>& size_aspects() {
  static const std::vector<SizeAspect> table = {
      {"720x1280", "9:16"}, {"1280x720", "16:9"}, {"1024x1792", "2:3"}, {"1792x1024", "3:2"},
      {"1024x1024", "1:1"}, {"1536x1024", "3:2"}, {"1024x1536", "2:3"},
  };
  return table;
}

std::string_view aspect_ratio(std::string_view size) {
  for (const auto& e : size_aspects())
    if (e.size == size) return e.aspect;
  return {};
}

std::string_view quota_of(std::string_view resolution) {
  return resolution == "720p" ? "video720p" : "video";
}

const VideoModelSpec* AdapterConfig::find(std::string_view id) const {
  for (const auto& m : models)
    if (m.id == id) return &m;
  return nullptr;
}

std::string AdapterConfig::ids() const {
  std::string out;
  for (const auto& m : models) out += (out.empty() ? "" : ", ") + m.id;
  return out;
}

AdapterConfig read_config(std::string_view table_json, std::vector<std::string>& unknown_keys) {
  AdapterConfig config;
  config.models = builtin_models();
  boost::system::error_code ec;
  json::value table = json::parse(table_json, ec);
  if (ec || !table.is_object()) bad("the table is not a JSON object");
  for (const auto& [key, value] : table.get_object()) {
    if (key == "preset")
      read_preset(value, config);
    else if (key == "resolution")
      read_resolutions(value, config);
    else if (key != "required")  // the host's own key
      unknown_keys.emplace_back(key);
  }
  return config;
}

std::string models_json(const AdapterConfig& config) {
  json::array sizes;
  for (const auto& e : size_aspects()) sizes.emplace_back(e.size);
  json::array out;
  for (const auto& m : config.models)
    out.emplace_back(json::object{
        {"id", m.id},
        {"kind", "video"},
        {"description", m.description},
        {"quota", quota_of(m.resolution)},
        {"tiers", json::array{"basic", "super", "heavy"}},
        {"sizes", sizes},
        {"default_size", kDefaultSize},
        {"seconds",
         {{"default", kDefaultSeconds},
          {"max", kMaxSeconds},
          {"max_by_tier", {{"basic", kBasicMaxSeconds}}}}},
        {"references", true},
        {"resolution", m.resolution},
        {"quality", m.quality},
    });
  return json::serialize(out);
}

}  // namespace g2a::grok_imagine
