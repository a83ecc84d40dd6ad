// A token leaving or re-entering service, as the pool decided it: reported once per real
// transition (a request failing on an already expired token changes nothing).
#pragma once

#include <functional>
#include <string>

#include "core/tokens/token_record.hpp"

namespace g2a::tokens {

struct StatusChange {
  enum class Kind {
    kDisabled,   // grok.com says the account is blocked
    kExpired,    // kMaxAuthFailures authentication failures, or no quota at N refreshes
    kRecovered,  // expired or disabled before, active now
  };
  Kind kind = Kind::kExpired;
  std::string sso;
  Pool pool = Pool::kNormal;
  std::string reason;
};

// Called outside the pool's lock, on whichever thread reported the outcome.
using StatusListener = std::function<void(const StatusChange&)>;

}  // namespace g2a::tokens
