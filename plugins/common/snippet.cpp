#include "snippet.hpp"

namespace g2a::plugin_common {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0.
size_t sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
  if (n == 2 && c < 0xc2) return 0;
  if (n == 3 && c == 0xe0 && byte(i + 1) < 0xa0) return 0;
  if (n == 3 && c == 0xed && byte(i + 1) >= 0xa0) return 0;
  if (n == 4 && c == 0xf0 && byte(i + 1) < 0x90) return 0;
  if (n == 4 && (c > 0xf4 || (c == 0xf4 && byte(i + 1) >= 0x90))) return 0;
  return n;
}

}  // namespace

std::string snippet(std::string_view data, size_t max) {
  std::string out;
  size_t i = 0;
  while (i < data.size()) {
    size_t n = sequence_length(data, i);
    if (out.size() + (n ? n : 1) > max) break;
    if (n == 0 || (n == 1 && static_cast<unsigned char>(data[i]) < 0x20)) {
      out += '?';
      i += 1;
      continue;
    }
    out.append(data.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace g2a::plugin_common
