// Small text helpers for values an operator typed (settings, proxy URLs): surrounding
// whitespace and ASCII case do not matter.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace g2a::config {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace g2a::config
