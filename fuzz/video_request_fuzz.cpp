// Video API request bodies (POST /v1/videos, /remix): the first line is the Content-Type,
// the rest the body, in any of JSON, multipart/form-data and form-urlencoded. Nothing may
// crash; a body is either read (with a prompt) or refused with a 400; the
// form-urlencoded decoder underneath is exercised on every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/http/form_urlencoded.hpp"
#include "core/openai/video_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t eol = in.find('\n');
  if (eol == std::string_view::npos) return 0;
  std::string_view type = in.substr(0, eol), body = in.substr(eol + 1);
  for (const auto& [name, value] : g2a::http::parse_form_urlencoded(body))
    if (name.size() + value.size() > body.size()) abort();  // decoding never grows
  try {
    auto created = g2a::openai::parse_video_create(type, body, 1u << 16);
    if (created.prompt.empty()) abort();
  } catch (const g2a::video::VideoError& e) {
    if (e.status() != 400) abort();
  }
  try {
    auto remix = g2a::openai::parse_video_remix(type, body);
    if (remix.prompt.empty()) abort();
  } catch (const g2a::video::VideoError& e) {
    if (e.status() != 400) abort();
  }
  return 0;
}
