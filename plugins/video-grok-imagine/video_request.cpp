#include "video_request.hpp"

#include <grok2api/plugin.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>

#include "text_codec.hpp"

namespace g2a::grok_imagine {
namespace {

namespace json = boost::json;

[[noreturn]] void bad(const std::string& message) {
  throw g2a::Error(G2A_BAD_ARGUMENT, message);
}

std::string sizes_text() {
  std::string out;
  for (const auto& e : size_aspects()) out += (out.empty() ? "" : ", ") + std::string(e.size);
  return out;
}

int read_seconds(const json::value* v) {
  if (!v || v->is_null()) return kDefaultSeconds;
  double d = v->is_number() ? v->to_number<double>() : std::nan("");
  if (!(d >= 1 && d <= kMaxSeconds) || d != std::floor(d))
    bad("seconds must be a whole number from 1 to " + std::to_string(kMaxSeconds) +
        " (grok.com makes at most " + std::to_string(kMaxSeconds) + " s)");
  return static_cast<int>(d);
}

std::string read_string(const json::object& req, std::string_view key) {
  const auto* v = req.if_contains(key);
  if (!v || v->is_null()) return {};
  if (!v->is_string()) bad(std::string(key) + " must be a string");
  return std::string(v->get_string());
}

std::optional<std::string> read_reference(const json::value* v) {
  if (!v || v->is_null()) return std::nullopt;
  const auto* ref = v->if_object();
  const json::value* id = ref ? ref->if_contains("file_id") : nullptr;
  if (!id || !id->is_string() || !plugin_common::plain_id(id->get_string()))
    bad("reference.file_id must be the fileMetadataId of an uploaded image ([A-Za-z0-9_-], at "
        "most 200 characters)");
  return std::string(id->get_string());
}

}  // namespace

VideoRequest read_video_request(std::string_view request_json, const AdapterConfig& config) {
  boost::system::error_code ec;
  json::value doc = json::parse(request_json, ec);
  if (ec || !doc.is_object()) bad("the video request is not a JSON object");
  const auto& req = doc.get_object();

  if (read_string(req, "kind") != "video")
    bad("kind must be \"video\": video-grok-imagine serves only video models");
  VideoRequest out;
  std::string model = read_string(req, "model");
  out.model = config.find(model);
  if (!out.model)
    bad("model \"" + model + "\" is not a video model of video-grok-imagine (" + config.ids() +
        ")");
  out.prompt = read_string(req, "prompt");
  if (out.prompt.empty()) bad("prompt must be a non-empty string");
  out.seconds = read_seconds(req.if_contains("seconds"));
  out.tier = read_string(req, "tier");
  if (out.tier == "basic" && out.seconds > kBasicMaxSeconds)
    bad("seconds: basic (free) accounts make at most " + std::to_string(kBasicMaxSeconds) +
        " s on grok.com (asked for " + std::to_string(out.seconds) + ")");
  out.size = read_string(req, "size");
  if (out.size.empty()) out.size = std::string(kDefaultSize);
  out.aspect = std::string(aspect_ratio(out.size));
  if (out.aspect.empty())
    bad("size \"" + out.size + "\" is not supported by " + out.model->id + " (one of " +
        sizes_text() + ")");
  out.reference_file_id = read_reference(req.if_contains("reference"));
  return out;
}

}  // namespace g2a::grok_imagine
