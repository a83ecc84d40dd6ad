// Which tokens may serve a request, and which of them to prefer. Pure functions over a
// record, so that the pool and the property tests share them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "core/tokens/tier.hpp"
#include "core/tokens/token_record.hpp"

namespace g2a::tokens {

struct ModelRequirement {
  std::string mode = "fast";         // the chat mode (the rate-limits modelName)
  std::set<Tier> tiers;              // tiers allowed; empty = any
  std::optional<std::string> media;  // quota_info kind charged instead of the mode
  // A token of unknown tier counts as its pool's tier (ssoNormal: basic) instead of any:
  // for requests an upstream refuses on a lower tier (videos longer than 6 s), where a
  // wrong guess would cool a good account down.
  bool tier_from_pool = false;

  const std::string& quota_key() const { return media ? *media : mode; }

  // A chat mode with the tiers of spec §2.12.
  static ModelRequirement for_mode(std::string mode);
  // A media kind (imagePro, imageEdit, video, video720p) for every tier.
  static ModelRequirement for_media(std::string kind);
};

enum class Availability {
  kReady,     // may serve now
  kCooling,   // may serve from ready_at_ms on
  kUnusable,  // expired, disabled, failing, or not for this model
};

struct Assessment {
  Availability availability = Availability::kUnusable;
  int64_t ready_at_ms = 0;  // for kCooling
  int64_t remaining = -1;   // the quota left for the requirement; -1 = unknown
};

// pool_tier: the tier the token's pool suggests (used only with req.tier_from_pool).
Assessment assess(const TokenRecord& r, const ModelRequirement& req, int64_t now_ms,
                  std::optional<Tier> pool_tier = std::nullopt);

// Lower is better: tokens without spare quota last, then fewest requests in flight (so
// concurrent requests spread), then unknown quota first (Pro: "unused" first), then the
// most remaining, then the oldest in the pool.
struct Rank {
  bool short_of_quota = false;  // known remaining <= requests in flight
  int in_flight = 0;
  bool quota_known = false;
  int64_t neg_remaining = 0;
  uint64_t order = 0;

  auto tie() const {
    return std::tie(short_of_quota, in_flight, quota_known, neg_remaining, order);
  }
  bool operator<(const Rank& o) const { return tie() < o.tie(); }
};

Rank rank(const Assessment& a, int in_flight, uint64_t order);

}  // namespace g2a::tokens
