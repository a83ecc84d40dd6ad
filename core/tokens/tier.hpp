// grok.com account tiers (spec grok-upstream-current §2.12), which modes each tier may use,
// and the tier read from quota totals (§2.10).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace g2a::tokens {

// Ordered: a higher tier can do everything a lower one can.
enum class Tier { kBasic = 0, kSuper = 1, kHeavy = 2 };

std::string_view to_string(Tier t);
std::optional<Tier> tier_from_string(std::string_view s);

// The chat modes of grok.com and the media kinds of quota_info.
inline constexpr std::string_view kModes[] = {"fast", "auto", "expert", "heavy",
                                              "grok-420-computer-use-sa"};
inline constexpr std::string_view kMediaKinds[] = {"image", "imageEdit", "imagePro", "video",
                                                   "video720p"};
bool is_mode(std::string_view key);
bool is_media_kind(std::string_view key);

// The tiers allowed to use a chat mode; every tier for an unknown mode or a media kind.
std::set<Tier> tiers_for_mode(std::string_view mode);

// The quota window a tier's chat quotas use when no read said otherwise.
int64_t default_window_s(Tier t);

// What a rate-limits read of one mode says about the tier.
struct ModeTotal {
  int64_t total = -1;  // totalQueries; 0 = the mode is not available to the account
};

// The tier the known totals point to, or nullopt when they do not tell. Known totals name
// a tier; an unavailable mode caps it below the mode's minimum tier; on contradiction the
// lowest tier wins (as [CH] inferWebTierFromQuota does).
std::optional<Tier> detect_tier(const std::map<std::string, ModeTotal>& totals);

}  // namespace g2a::tokens
