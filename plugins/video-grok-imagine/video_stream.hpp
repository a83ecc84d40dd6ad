// Reads grok.com's imagine-video-gen stream (spec §2.6: bare NDJSON, SSE "data:" lines
// tolerated, split anywhere) into the neutral video events of plugin.h: progress when it
// changes, then one "video" and "done", or one "error". Nothing is reported after either.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "ndjson_lines.hpp"

namespace g2a::grok_imagine {

class VideoStream {
 public:
  // A longer line is not a video stream any more (the result line is well under 4 KiB).
  static constexpr size_t kMaxLine = 1u << 20;

  // `resolution` is reported with the video when the stream names none.
  explicit VideoStream(std::string resolution);

  // A piece of the body.
  void feed(std::string_view piece);
  // The body ended: without a result this is the error "no_video_generated".
  void finish();

  bool terminal() const { return terminal_; }
  // The events since the last take, in order.
  boost::json::array take();

 private:
  void on_line(std::string_view line);
  void on_value(const boost::json::value& v);
  void on_generation(const boost::json::value& g);
  void on_model_response(const boost::json::value& m);
  void progress(double value);
  void video(std::string_view url, std::string_view thumbnail);
  void error(std::string_view code, std::string_view message, std::string_view origin);
  void upstream_error(const boost::json::value& e);

  plugin_common::LineSplitter lines_;
  std::string resolution_;
  int progress_ = -1;
  bool terminal_ = false;
  boost::json::array events_;
};

}  // namespace g2a::grok_imagine
