// Debian's toml++ 3.3 reaches __builtin_unreachable() (undefined behaviour) when it meets
// some non-ASCII characters (U+00A1..U+0499, U+2D6E..U+3167 but U+3000) outside strings
// and comments. TOML allows non-ASCII only inside strings and comments, so we reject
// anything else before toml++ sees it. Found by fuzz/settings_toml_fuzz.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace g2a::config {

struct TextPosition {
  size_t line = 1;    // 1-based
  size_t column = 1;  // 1-based, in bytes
};

// The position of the first non-ASCII byte outside strings and comments, if any.
std::optional<TextPosition> find_bare_non_ascii(std::string_view toml_text);

}  // namespace g2a::config
