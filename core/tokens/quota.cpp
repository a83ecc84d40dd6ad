#include "core/tokens/quota.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdio>
#include <ctime>
#include <optional>

#include "core/tokens/tier.hpp"

namespace g2a::tokens {
namespace json = boost::json;

namespace {

std::optional<int64_t> int_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return std::nullopt;
}

json::object parse_object(std::string_view body, std::string_view what) {
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    throw QuotaParseError(std::string(what) + " answer is not a JSON object");
  return std::move(v.as_object());
}

}  // namespace

QuotaReading parse_rate_limits(std::string_view mode, std::string_view body, int64_t now_ms) {
  auto o = parse_object(body, "rate-limits");
  QuotaReading r;
  r.key = std::string(mode);
  auto remaining = int_at(o, "remainingQueries");
  auto total = int_at(o, "totalQueries");
  if (!remaining) remaining = int_at(o, "remainingTokens");
  if (!total) total = int_at(o, "totalTokens");
  if (!remaining && !total) throw QuotaParseError("rate-limits answer has no remainingQueries");
  r.remaining = remaining.value_or(-1);
  r.total = total.value_or(-1);
  r.window_s = int_at(o, "windowSizeSeconds").value_or(7200);
  if (r.window_s <= 0) r.window_s = 7200;
  if (r.total == 0) {
    r.available = false;
    r.remaining = 0;
  }
  if (auto wait = int_at(o, "waitTimeSeconds"); wait && *wait > 0)
    r.back_at_ms = now_ms + *wait * 1000;
  return r;
}

std::vector<QuotaReading> parse_quota_info(std::string_view body, int64_t) {
  auto o = parse_object(body, "quota_info");
  std::vector<QuotaReading> out;
  for (std::string_view kind : kMediaKinds) {
    const auto* v = o.if_contains(kind);
    if (!v) continue;
    QuotaReading r;
    r.key = std::string(kind);
    if (!v->is_object()) {
      r.available = false;
      r.remaining = 0;
      r.total = 0;
      out.push_back(std::move(r));
      continue;
    }
    const auto& q = v->as_object();
    r.remaining = int_at(q, "remainingQueries").value_or(-1);
    r.total = int_at(q, "totalQueries").value_or(-1);
    r.window_s = int_at(q, "windowSizeSeconds").value_or(86400);
    if (const auto* a = q.if_contains("available");
        a && a->is_bool() && !a->as_bool() && r.remaining != 0)
      r.remaining = 0;  // "not available now" reads as exhausted, not as unavailable
    if (const auto* next = q.if_contains("nextAvailableAt"); next && next->is_string())
      r.back_at_ms = parse_rfc3339_ms(next->as_string());
    out.push_back(std::move(r));
  }
  return out;
}

int64_t parse_rfc3339_ms(std::string_view text) {
  std::string s(text.substr(0, 64));
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6)
    return 0;
  int64_t ms = 0;
  size_t pos = static_cast<size_t>(used);
  if (pos < s.size() && s[pos] == '.') {
    int digits = 0;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos)
      if (digits++ < 3) ms = ms * 10 + (s[pos] - '0');
    for (; digits < 3; ++digits) ms *= 10;
  }
  if (pos >= s.size() || (s[pos] != 'Z' && s[pos] != 'z')) return 0;  // UTC only
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return 0;
  return static_cast<int64_t>(t) * 1000 + ms;
}

}  // namespace g2a::tokens
