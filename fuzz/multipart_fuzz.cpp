// multipart/form-data bodies from clients: the first line is the Content-Type, the rest
// the body. Nothing may crash, and whatever parses must build and parse back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/http/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t eol = in.find('\n');
  if (eol == std::string_view::npos) return 0;
  using namespace g2a::http;
  std::string boundary;
  try {
    boundary = multipart_boundary(in.substr(0, eol));
  } catch (const MultipartError&) {
    boundary = "xyz";  // still exercise the body parser
  }
  MultipartLimits limits;
  limits.max_parts = 16;
  limits.max_header_bytes = 512;
  std::vector<MultipartPart> parts;
  try {
    parts = parse_multipart(in.substr(eol + 1), boundary, limits);
  } catch (const MultipartError&) {
    return 0;
  }
  // The rebuilt headers are canonical (quoted, escaped) and may be longer than the input's.
  MultipartLimits rebuilt = limits;
  rebuilt.max_header_bytes = limits.max_header_bytes * 4 + 256;
  auto again = parse_multipart(build_multipart(parts, boundary), boundary, rebuilt);
  if (again.size() != parts.size()) std::abort();
  for (size_t i = 0; i < parts.size(); ++i)
    if (again[i].name != parts[i].name || again[i].filename != parts[i].filename ||
        again[i].content_type != parts[i].content_type || again[i].data != parts[i].data)
      std::abort();
  return 0;
}
