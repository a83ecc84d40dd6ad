// Range headers from clients against a file size: the first 4 bytes are the size, the
// rest the header. Nothing may crash, and a satisfiable answer lies inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/http/byte_range.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  uint64_t file = uint64_t{data[0]} | uint64_t{data[1]} << 8 | uint64_t{data[2]} << 16 |
                  uint64_t{data[3]} << 24;
  std::string_view header(reinterpret_cast<const char*>(data + 4), size - 4);
  using g2a::http::ByteRange;
  ByteRange r = g2a::http::parse_byte_range(header, file);
  switch (r.kind) {
    case ByteRange::Kind::kPartial:
      if (r.length == 0 || r.offset >= file || r.length > file - r.offset) abort();
      break;
    case ByteRange::Kind::kWhole:
      if (r.offset != 0 || r.length != file) abort();
      break;
    case ByteRange::Kind::kUnsatisfiable:
      if (r.length != 0) abort();
      break;
  }
  if (g2a::http::content_range(r, file).empty()) abort();
  return 0;
}
