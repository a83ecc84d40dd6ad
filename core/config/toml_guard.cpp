#include "core/config/toml_guard.hpp"

namespace g2a::config {

std::optional<TextPosition> find_bare_non_ascii(std::string_view t) {
  TextPosition pos;
  size_t i = 0;
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < t.size(); ++k, ++i) {
      if (t[i] == '\n') {
        ++pos.line;
        pos.column = 1;
      } else {
        ++pos.column;
      }
    }
  };
  auto starts = [&](std::string_view s) { return t.substr(i, s.size()) == s; };
  while (i < t.size()) {
    char c = t[i];
    if (c == '#') {  // comment: to the end of the line
      while (i < t.size() && t[i] != '\n') advance(1);
    } else if (starts("\"\"\"") || starts("'''")) {
      char q = c;
      bool basic = q == '"';
      advance(3);
      while (i < t.size()) {
        if (basic && t[i] == '\\') {
          advance(2);
        } else if (t[i] == q && i + 2 < t.size() && t[i + 1] == q && t[i + 2] == q) {
          // Up to two more quotes may belong to the content ("""a""""").
          size_t run = 0;
          while (i + run < t.size() && t[i + run] == q && run < 5) ++run;
          advance(run);
          break;
        } else {
          advance(1);
        }
      }
    } else if (c == '"' || c == '\'') {
      advance(1);
      while (i < t.size() && t[i] != c && t[i] != '\n') advance(c == '"' && t[i] == '\\' ? 2 : 1);
      advance(1);
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return pos;
    } else {
      advance(1);
    }
  }
  return std::nullopt;
}

}  // namespace g2a::config
