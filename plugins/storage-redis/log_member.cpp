#include "log_member.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace g2a::storage_redis {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string score_text(int64_t ms) {
  return std::to_string(ms);
}

std::string log_member_tail(const storage_file::CallLogRecord& record) {
  // The shortest text that reads back as the same double (Lua's tonumber is strtod).
  std::string rt =
      std::isnan(record.response_time) ? std::string() : fmt::format("{}", record.response_time);
  return fmt::format("{}{};{}:{}{}", record.success ? '1' : '0', rt, record.model.size(),
                     record.model, lower_ascii(record.sso));
}

std::optional<LogMember> decode_log_member(std::string_view m) {
  if (m.size() < 18) return std::nullopt;
  LogMember out;
  out.seq.assign(m.substr(0, 16));
  if (m[16] != '0' && m[16] != '1') return std::nullopt;
  out.success = m[16] == '1';
  auto semi = m.find(';', 17);
  if (semi == std::string_view::npos) return std::nullopt;
  std::string rt(m.substr(17, semi - 17));
  if (!rt.empty()) out.response_time = std::strtod(rt.c_str(), nullptr);
  auto colon = m.find(':', semi + 1);
  if (colon == std::string_view::npos) return std::nullopt;
  std::size_t len = 0;
  std::string_view len_text = m.substr(semi + 1, colon - semi - 1);
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || end != len_text.data() + len_text.size() || colon + 1 + len > m.size())
    return std::nullopt;
  out.model.assign(m.substr(colon + 1, len));
  out.sso_lower.assign(m.substr(colon + 1 + len));
  return out;
}

}  // namespace g2a::storage_redis
