// What became of a call made with a token, as the pool needs it to apply the failure rules
// (issue: 429/usage limit cool down; 401 counts, 3 expire; blocked disables at once;
// Cloudflare, anti-bot and transport are not the token's fault).
#pragma once

#include <cstdint>
#include <string>

#include "core/upstream/grok/problem.hpp"

namespace g2a::tokens {

struct Outcome {
  upstream::grok::Problem problem = upstream::grok::Problem::kNone;
  long status = 0;            // upstream HTTP status, 0 when none
  std::string message;        // upstream's words (the diagnosis message)
  std::string quota_key;      // the mode or media kind the call was charged to; "" = unknown
  int64_t retry_after_s = 0;  // when upstream said how long to wait
  bool quota_read = false;    // the call was a quota read: do not ask for another read

  static Outcome success(std::string quota_key);
  static Outcome failure(const upstream::grok::Diagnosis& d, std::string quota_key);
};

enum class Effect {
  kNone,         // not the token's fault (or nothing to record)
  kSuccess,      // resets failedCount (Pro reset_failure)
  kCooldown,     // out of quota: cool down until the quota window says it is back
  kAuthFailure,  // 401 / unauthenticated: counts a failure; expired after 3
  kDisable,      // blocked account: disabled at once
  kModeDenied,   // the account's tier cannot use the mode
};

Effect effect_of(const Outcome& o);

// Whether the request should move to another token after this outcome.
bool try_another_token(const Outcome& o);

}  // namespace g2a::tokens
