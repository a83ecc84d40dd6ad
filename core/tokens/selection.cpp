#include "core/tokens/selection.hpp"

#include <algorithm>

namespace g2a::tokens {

ModelRequirement ModelRequirement::for_mode(std::string mode) {
  ModelRequirement r;
  r.tiers = tiers_for_mode(mode);
  r.mode = std::move(mode);
  return r;
}

ModelRequirement ModelRequirement::for_media(std::string kind) {
  ModelRequirement r;
  r.media = std::move(kind);
  return r;
}

Assessment assess(const TokenRecord& r, const ModelRequirement& req, int64_t now_ms,
                  std::optional<Tier> pool_tier) {
  Assessment a;
  if (r.expired() || !r.disabled_reason.empty() || r.failed_count >= kMaxAuthFailures) return a;
  // An unknown tier may serve every model until its tier is known, unless the request
  // takes the pool's word for it.
  std::optional<Tier> tier = r.detected_tier;
  if (!tier && req.tier_from_pool) tier = pool_tier;
  if (tier && !req.tiers.empty() && !req.tiers.count(*tier)) return a;
  int64_t ready_at = r.cooldown_until_ms;
  auto it = r.quotas.find(req.quota_key());
  if (it != r.quotas.end()) {
    const QuotaEntry& q = it->second;
    if (!q.available) return a;
    if (q.remaining == 0) {
      // Exhausted until its window says it is back; after that the old 0 says nothing.
      if (q.cooldown_until_ms > now_ms) ready_at = std::max(ready_at, q.cooldown_until_ms);
    } else if (q.cooldown_until_ms > now_ms) {
      ready_at = std::max(ready_at, q.cooldown_until_ms);
    } else {
      a.remaining = q.remaining;
    }
  }
  if (ready_at > now_ms) {
    a.availability = Availability::kCooling;
    a.ready_at_ms = ready_at;
    return a;
  }
  a.availability = Availability::kReady;
  return a;
}

Rank rank(const Assessment& a, int in_flight, uint64_t order) {
  Rank k;
  k.quota_known = a.remaining >= 0;
  k.short_of_quota = k.quota_known && a.remaining <= in_flight;
  k.in_flight = in_flight;
  k.neg_remaining = k.quota_known ? -a.remaining : 0;
  k.order = order;
  return k;
}

}  // namespace g2a::tokens
