#include "rsc_payload.hpp"
#include "text_codec.hpp"
#include "utf8.hpp"

#include <cstdint>

namespace g2a::statsig {
namespace {

using plugin_common::hex_value;

// Reads `count` hex digits at body[i]; -1 when they are not all there.
long read_hex(std::string_view body, size_t i, size_t count) {
  if (i + count > body.size()) return -1;
  long v = 0;
  for (size_t k = 0; k < count; ++k) {
    int h = hex_value(body[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// The end of the string literal whose body starts at `i` (the index of its closing quote),
// or npos when it does not close.
size_t literal_end(std::string_view s, size_t i, char quote) {
  for (; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;
    else if (s[i] == quote)
      return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string js_unescape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 == body.size()) {
      out.push_back(c);
      continue;
    }
    char e = body[++i];
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '0':
        out.push_back('\0');
        break;
      case '\n':
        break;  // line continuation
      case 'x': {
        long v = read_hex(body, i + 1, 2);
        if (v < 0) {
          out.push_back('x');
          break;
        }
        append_utf8(out, static_cast<uint32_t>(v));
        i += 2;
        break;
      }
      case 'u': {
        if (i + 1 < body.size() && body[i + 1] == '{') {
          size_t close = body.find('}', i + 2);
          long v = close == std::string_view::npos ? -1 : read_hex(body, i + 2, close - i - 2);
          if (v < 0 || v > 0x10FFFF || close - i - 2 > 6) {
            out.push_back('u');
            break;
          }
          append_utf8(out, static_cast<uint32_t>(v));
          i = close;
          break;
        }
        long v = read_hex(body, i + 1, 4);
        if (v < 0) {
          out.push_back('u');
          break;
        }
        i += 4;
        // Join a surrogate pair into one code point.
        if (v >= 0xD800 && v < 0xDC00 && i + 2 < body.size() && body[i + 1] == '\\' &&
            body[i + 2] == 'u') {
          long low = read_hex(body, i + 3, 4);
          if (low >= 0xDC00 && low < 0xE000) {
            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, static_cast<uint32_t>(v));
        break;
      }
      default:
        out.push_back(e);
        break;
    }
  }
  return out;
}

std::string rsc_payload(std::string_view html) {
  static constexpr std::string_view kPush = "self.__next_f.push(";
  std::string out;
  size_t pos = 0;
  while ((pos = html.find(kPush, pos)) != std::string_view::npos) {
    pos += kPush.size();
    // [1,"..."]: a numeric tag, a comma, then one string literal.
    size_t p = pos;
    auto skip_ws = [&] {
      while (p < html.size() && (html[p] == ' ' || html[p] == '\n' || html[p] == '\t')) ++p;
    };
    skip_ws();
    if (p >= html.size() || html[p] != '[') continue;
    ++p;
    skip_ws();
    while (p < html.size() && html[p] >= '0' && html[p] <= '9') ++p;
    skip_ws();
    if (p >= html.size() || html[p] != ',') continue;
    ++p;
    skip_ws();
    if (p >= html.size() || (html[p] != '"' && html[p] != '\'')) continue;
    char quote = html[p];
    size_t end = literal_end(html, p + 1, quote);
    if (end == std::string_view::npos) break;
    out += js_unescape(html.substr(p + 1, end - p - 1));
    pos = end + 1;
  }
  return out;
}

}  // namespace g2a::statsig
