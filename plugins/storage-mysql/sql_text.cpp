#include "sql_text.hpp"

namespace g2a::storage_mysql {

std::string like_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '%' || c == '_' || c == kLikeEscape) out.push_back(kLikeEscape);
    out.push_back(c);
  }
  return out;
}

std::string like_prefix(std::string_view text) {
  return like_escape(text) + '%';
}

std::string like_substring(std::string_view text) {
  return '%' + like_escape(text) + '%';
}

std::string hex_literal(std::string_view bytes) {
  if (bytes.empty()) return "''";
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2 + 3);
  out += "X'";
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  out.push_back('\'');
  return out;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace g2a::storage_mysql
