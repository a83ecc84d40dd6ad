// The Range request header (RFC 9110 §14) for one representation of a known size:
// "bytes=a-b", "bytes=a-" and "bytes=-n". One range is served: a 206 with a single part,
// never multipart/byteranges (video players ask for one range at a time).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::http {

struct ByteRange {
  enum class Kind {
    kWhole,          // no header, another unit, or invalid syntax: 200 with everything
    kPartial,        // 206 with the bytes [offset, offset + length)
    kUnsatisfiable,  // 416 with "Content-Range: bytes */size"
  };
  Kind kind = Kind::kWhole;
  uint64_t offset = 0;
  uint64_t length = 0;  // kWhole: the size; kUnsatisfiable: 0
};

// Reads header (the Range value, "" when absent) against a representation of size bytes.
// Invalid syntax anywhere in it (or a last-pos below its first-pos) makes the header
// ignored (kWhole), as RFC 9110 §14.2 allows. Of a list of ranges the first satisfiable
// one is served; unsatisfiable (416) only when none is. An empty file has no satisfiable
// range. Numbers too large for 64 bits saturate (so they are past any end).
ByteRange parse_byte_range(std::string_view header, uint64_t size);

// "bytes first-last/size" for a partial answer, "bytes */size" otherwise (the 416 form).
std::string content_range(const ByteRange& range, uint64_t size);

}  // namespace g2a::http
