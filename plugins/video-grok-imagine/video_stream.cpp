#include "video_stream.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "json_reader.hpp"
#include "snippet.hpp"

namespace g2a::grok_imagine {
namespace {

namespace json = boost::json;
using plugin_common::at;
using plugin_common::bool_at;
using plugin_common::code_text;
using plugin_common::number_at;
using plugin_common::str_at;

// Where grok.com has put the result's URL (spec §2.6), in order of preference.
constexpr std::string_view kUrlKeys[] = {"videoUrl", "contentUrl", "assetUrl", "fileUri"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// modelResponse.fileAttachments[] also lists the uploaded reference ("users/<uid>/<id>/
// content"): an .mp4 counts first; a ".../content" path only under generated/.
bool video_path(std::string_view s, bool content_too) {
  if (ends_with(s, ".mp4")) return true;
  return content_too && s.find("/content") != std::string_view::npos &&
         s.find("/generated/") != std::string_view::npos;
}

}  // namespace

VideoStream::VideoStream(std::string resolution)
    : lines_(kMaxLine), resolution_(std::move(resolution)) {}

void VideoStream::feed(std::string_view piece) {
  if (terminal_) return;
  std::vector<std::string> lines;
  bool fits = lines_.push(piece, lines);
  for (const auto& line : lines) on_line(line);
  if (!fits)
    error("upstream_line_too_long", "a line of the video stream exceeded 1 MiB", "adapter");
}

void VideoStream::finish() {
  if (auto last = lines_.flush(); last && !terminal_) on_line(*last);
  error("no_video_generated", "grok.com ended the video stream without a video", "adapter");
}

json::array VideoStream::take() {
  json::array out = std::move(events_);
  events_ = {};
  return out;
}

void VideoStream::on_line(std::string_view line) {
  if (terminal_) return;
  std::vector<json::value> values;
  if (!plugin_common::parse_values(line, values)) {
    error("bad_upstream_line",
          "a line of the video stream is not JSON: " + plugin_common::snippet(line), "adapter");
    return;
  }
  for (const auto& v : values) on_value(v);
}

void VideoStream::on_value(const json::value& v) {
  if (terminal_) return;
  // Some servers write "error": null on every line: only a value is an error.
  if (const auto* e = at(v, {"error"}); e && !e->is_null()) return upstream_error(*e);
  if (const auto* e = at(v, {"result", "response", "error"}); e && !e->is_null())
    return upstream_error(*e);
  if (const auto* g = at(v, {"result", "response", "streamingVideoGenerationResponse"}))
    on_generation(*g);
  if (const auto* m = at(v, {"result", "response", "modelResponse"})) on_model_response(*m);
}

void VideoStream::on_generation(const json::value& g) {
  if (auto r = str_at(g, {"resolutionName"}); !r.empty()) resolution_ = std::string(r);
  if (auto p = number_at(g, {"progress"})) progress(*p);
  if (bool_at(g, {"moderated"}, false))
    return error("moderated", "grok.com refused to make this video (moderated)", "upstream");
  for (auto key : kUrlKeys)
    if (auto url = str_at(g, {key}); !url.empty())
      return video(url, str_at(g, {"thumbnailImageUrl"}));
}

void VideoStream::on_model_response(const json::value& m) {
  const auto* files = at(m, {"fileAttachments"});
  if (!files || !files->is_array()) return;
  for (bool content_too : {false, true})
    for (const auto& f : files->get_array()) {
      std::string_view path =
          f.is_string() ? std::string_view(f.get_string()) : str_at(f, {"fileUri"});
      if (video_path(path, content_too)) return video(path, {});
    }
}

void VideoStream::progress(double value) {
  if (!std::isfinite(value)) return;
  int p = static_cast<int>(std::lround(std::clamp(value, 0.0, 100.0)));
  if (p == progress_) return;
  progress_ = p;
  events_.emplace_back(json::object{{"type", "progress"}, {"progress", p}});
}

void VideoStream::video(std::string_view url, std::string_view thumbnail) {
  events_.emplace_back(json::object{
      {"type", "video"}, {"url", url}, {"thumbnail_url", thumbnail}, {"resolution", resolution_}});
  events_.emplace_back(json::object{{"type", "done"}, {"finish_reason", "stop"}});
  terminal_ = true;
}

void VideoStream::error(std::string_view code, std::string_view message, std::string_view origin) {
  if (terminal_) return;
  events_.emplace_back(
      json::object{{"type", "error"}, {"code", code}, {"message", message}, {"origin", origin}});
  terminal_ = true;
}

void VideoStream::upstream_error(const json::value& e) {
  std::string code = code_text(at(e, {"code"}));
  std::string message(e.is_string() ? std::string_view(e.get_string()) : str_at(e, {"message"}));
  error(code.empty() ? "upstream_error" : code,
        message.empty() ? "grok.com reported an error in the video stream" : message, "upstream");
}

}  // namespace g2a::grok_imagine
