#include "core/http/byte_range.hpp"

#include <cctype>
#include <limits>
#include <optional>

namespace g2a::http {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// 1*DIGIT, saturating at 2^64-1; nullopt when empty or another character.
std::optional<uint64_t> digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    v = v > (kMax - d) / 10 ? kMax : v * 10 + d;
  }
  return v;
}

struct Spec {
  bool suffix = false;
  uint64_t first = 0, last = kMax, suffix_length = 0;
};

std::optional<Spec> range_spec(std::string_view s) {
  auto dash = s.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  Spec spec;
  std::string_view a = s.substr(0, dash), b = s.substr(dash + 1);
  if (a.empty()) {
    auto n = digits(b);
    if (!n) return std::nullopt;
    spec.suffix = true;
    spec.suffix_length = *n;
    return spec;
  }
  auto first = digits(a);
  if (!first) return std::nullopt;
  spec.first = *first;
  if (!b.empty()) {
    auto last = digits(b);
    if (!last || *last < *first) return std::nullopt;
    spec.last = *last;
  }
  return spec;
}

bool unit_is_bytes(std::string_view unit) {
  if (unit.size() != 5) return false;
  for (size_t i = 0; i < 5; ++i)
    if (std::tolower(static_cast<unsigned char>(unit[i])) != "bytes"[i]) return false;
  return true;
}

}  // namespace

ByteRange parse_byte_range(std::string_view header, uint64_t size) {
  ByteRange whole{ByteRange::Kind::kWhole, 0, size};
  header = trim(header);
  auto eq = header.find('=');
  if (header.empty() || eq == std::string_view::npos || !unit_is_bytes(header.substr(0, eq)))
    return whole;
  std::string_view set = header.substr(eq + 1);
  std::optional<ByteRange> chosen;
  bool any = false;
  while (true) {
    auto comma = set.find(',');
    std::string_view item = trim(set.substr(0, comma));
    // The list rule (RFC 9110 §5.6.1) lets empty elements pass.
    if (!item.empty()) {
      auto spec = range_spec(item);
      if (!spec) return whole;
      any = true;
      if (!chosen && size > 0) {
        if (spec->suffix && spec->suffix_length > 0) {
          uint64_t n = std::min(spec->suffix_length, size);
          chosen = ByteRange{ByteRange::Kind::kPartial, size - n, n};
        } else if (!spec->suffix && spec->first < size) {
          uint64_t last = std::min(spec->last, size - 1);
          chosen = ByteRange{ByteRange::Kind::kPartial, spec->first, last - spec->first + 1};
        }
      }
    }
    if (comma == std::string_view::npos) break;
    set.remove_prefix(comma + 1);
  }
  if (!any) return whole;
  if (chosen) return *chosen;
  return ByteRange{ByteRange::Kind::kUnsatisfiable, 0, 0};
}

std::string content_range(const ByteRange& range, uint64_t size) {
  if (range.kind != ByteRange::Kind::kPartial || range.length == 0)
    return "bytes */" + std::to_string(size);
  return "bytes " + std::to_string(range.offset) + "-" +
         std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size);
}

}  // namespace g2a::http
