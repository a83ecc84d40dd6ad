// grok.com's video stream (video-grok-imagine's VideoStream): the first byte picks where the
// body is cut in two, the rest is the body. Nothing may crash; the events never depend on the
// cut; the generation ends exactly once (a "done" only right after a "video", or an
// "error"), and progress stays in 0..100.
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "video_stream.hpp"

namespace {

std::string run(std::string_view body, size_t cut) {
  g2a::grok_imagine::VideoStream stream("480p");
  boost::json::array events;
  auto take = [&] {
    for (auto& e : stream.take()) events.push_back(std::move(e));
  };
  stream.feed(body.substr(0, cut));
  take();
  stream.feed(body.substr(cut));
  take();
  stream.finish();
  take();
  size_t terminal = 0;
  std::string_view last;
  for (const auto& e : events) {
    std::string_view type = e.at("type").as_string();
    if (type == "progress") {
      auto p = e.at("progress").to_number<int64_t>();
      if (p < 0 || p > 100) std::abort();
    }
    if (type == "done" && last != "video") std::abort();
    if (type == "done" || type == "error") ++terminal;
    last = type;
  }
  if (terminal != 1 || (last != "done" && last != "error")) std::abort();
  return boost::json::serialize(events);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t cut = body.empty() ? 0 : data[0] % (body.size() + 1);
  if (run(body, cut) != run(body, 0)) std::abort();
  return 0;
}
