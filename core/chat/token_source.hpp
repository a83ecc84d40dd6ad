// What a chat turn needs from the token pool: a lease on an eligible account, and a place
// to report how the upstream answered it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/upstream/grok/problem.hpp"

namespace g2a::chat {

struct TokenRequirement {
  std::string mode;                                 // grok.com mode (or media kind)
  std::vector<std::string> tiers;                   // account tiers that may serve it
  std::optional<std::string> media = std::nullopt;  // quota_info kind charged (imagePro)
  bool tier_from_pool = false;  // unknown tiers count as their pool's (selection.hpp)
};

// Held while a request uses the token (in-flight accounting); released on destruction.
class TokenLease {
 public:
  virtual ~TokenLease() = default;
  virtual const std::string& sso() const = 0;
  // The pool the account was leased from, as token.json names it ("ssoNormal",
  // "ssoSuper", "ssoHeavy"); "" when the source has no pools.
  virtual std::string_view token_type() const { return {}; }
  // The account's tier as selection judged it: detected from quotas, else its pool's
  // ("basic", "super", "heavy"); "" when the source has no tiers.
  virtual std::string_view tier() const { return {}; }
};

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // An eligible token not in exclude, or nullptr.
  virtual std::unique_ptr<TokenLease> acquire(const TokenRequirement& req,
                                              const std::set<std::string>& exclude) = 0;
  // How the upstream answered a call made with sso for a mode (kNone: success).
  virtual void report(const std::string& sso, const std::string& mode,
                      const upstream::grok::Diagnosis& outcome) = 0;
  // When some eligible token will be usable again (ms since the epoch), if known.
  virtual std::optional<int64_t> next_available_ms(const TokenRequirement& req) = 0;
};

}  // namespace g2a::chat
