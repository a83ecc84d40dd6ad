// multipart/form-data (RFC 7578 over RFC 2046) as the official SDKs send it: the boundary
// from the Content-Type, then the parts with their Content-Disposition name (and filename
// for files) and Content-Type. Strict and bounded: a malformed body, too many parts, too
// large headers or part data are errors, never guesses. Used by the image edits and the
// video routes.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::http {

struct MultipartLimits {
  size_t max_parts = 64;
  size_t max_header_bytes = 8 * 1024;  // the header block of one part
  size_t max_part_bytes = 64u << 20;   // the data of one part
};

struct MultipartPart {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // set for file parts (may be empty)
  std::string content_type;             // the part's Content-Type, "" when absent
  std::string data;
};

class MultipartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type (quoted or
// not, 1 to 70 characters). Throws MultipartError when the type is another or the
// boundary is missing or invalid.
std::string multipart_boundary(std::string_view content_type);

// Every part of body, in order. Throws MultipartError saying what is wrong.
std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits = {});

// Both steps at once: the boundary from content_type, then the parts of body.
std::vector<MultipartPart> parse_form_data(std::string_view content_type, std::string_view body,
                                           const MultipartLimits& limits = {});

// The body of parts with this boundary (which must not occur in any part's data).
std::string build_multipart(const std::vector<MultipartPart>& parts, std::string_view boundary);

// The first part named name, or null.
const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace g2a::http
