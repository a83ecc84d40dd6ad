// One quota of an account (a chat mode from /rest/rate-limits, or a media kind from
// /rest/media/imagine/quota_info; spec grok-upstream-current §2.10), and the parsers of
// both answers.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::tokens {

// What the pool knows about one quota of a token.
struct QuotaEntry {
  int64_t remaining = -1;         // -1 = unknown
  int64_t total = -1;             // -1 = unknown; 0 with available=false: not for this account
  int64_t window_s = 0;           // 0 = unknown
  int64_t read_at_ms = 0;         // last read from grok.com; 0 = never
  int64_t cooldown_until_ms = 0;  // exhausted (a 429 or a read of 0) until then
  bool available = true;          // false: the account cannot use this mode or kind
};

// One answer of grok.com about one quota.
struct QuotaReading {
  std::string key;  // mode or media kind
  bool available = true;
  int64_t remaining = -1;
  int64_t total = -1;
  int64_t window_s = 0;
  int64_t back_at_ms = 0;  // when an exhausted quota returns, when grok.com said; 0 = unknown
};

class QuotaParseError : public std::exception {
 public:
  explicit QuotaParseError(std::string what) : what_(std::move(what)) {}
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
};

// {"windowSizeSeconds":7200,"remainingQueries":50,"totalQueries":50,"waitTimeSeconds"?:n};
// older answers carry remainingTokens/totalTokens. A total of 0 means the mode is not
// available to the account. Throws QuotaParseError on another shape.
QuotaReading parse_rate_limits(std::string_view mode, std::string_view body, int64_t now_ms);

// {"image":null,"imagePro":{"available":true,"remainingQueries":2,"windowSizeSeconds":86400,
// "nextAvailableAt"?:"<RFC 3339>"},...}: one reading per kind present (null = unavailable).
std::vector<QuotaReading> parse_quota_info(std::string_view body, int64_t now_ms);

// Milliseconds since the epoch of an RFC 3339 UTC time ("2026-08-18T04:47:49.9025Z"), or 0.
int64_t parse_rfc3339_ms(std::string_view text);

}  // namespace g2a::tokens
