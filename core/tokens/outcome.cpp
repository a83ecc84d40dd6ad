#include "core/tokens/outcome.hpp"

namespace g2a::tokens {
using upstream::grok::Problem;

Outcome Outcome::success(std::string quota_key) {
  Outcome o;
  o.quota_key = std::move(quota_key);
  return o;
}

Outcome Outcome::failure(const upstream::grok::Diagnosis& d, std::string quota_key) {
  Outcome o;
  o.problem = d.problem;
  o.status = d.status;
  o.message = d.message;
  o.quota_key = std::move(quota_key);
  return o;
}

Effect effect_of(const Outcome& o) {
  // grok.com refuses a mode above the account's tier with 403 code 7, which reads as
  // anti-bot; the WKE marker tells them apart.
  if (o.message.find("mode-not-allowed") != std::string::npos) return Effect::kModeDenied;
  switch (o.problem) {
    case Problem::kNone:
      return Effect::kSuccess;
    case Problem::kRateLimited:
    case Problem::kUsageLimit:
      return Effect::kCooldown;
    case Problem::kUnauthenticated:
      return Effect::kAuthFailure;
    case Problem::kBlocked:
      return Effect::kDisable;
    default:
      return Effect::kNone;
  }
}

bool try_another_token(const Outcome& o) {
  switch (effect_of(o)) {
    case Effect::kCooldown:
    case Effect::kAuthFailure:
    case Effect::kDisable:
    case Effect::kModeDenied:
      return true;
    default:
      return upstream::grok::remedy_for(o.problem).try_another_token;
  }
}

}  // namespace g2a::tokens
