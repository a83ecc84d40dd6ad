#include "core/tokens/tier.hpp"

#include <algorithm>

namespace g2a::tokens {

std::string_view to_string(Tier t) {
  switch (t) {
    case Tier::kBasic:
      return "basic";
    case Tier::kSuper:
      return "super";
    case Tier::kHeavy:
      return "heavy";
  }
  return "basic";
}

std::optional<Tier> tier_from_string(std::string_view s) {
  if (s == "basic") return Tier::kBasic;
  if (s == "super") return Tier::kSuper;
  if (s == "heavy") return Tier::kHeavy;
  return std::nullopt;
}

bool is_mode(std::string_view key) {
  return std::find(std::begin(kModes), std::end(kModes), key) != std::end(kModes);
}

bool is_media_kind(std::string_view key) {
  return std::find(std::begin(kMediaKinds), std::end(kMediaKinds), key) != std::end(kMediaKinds);
}

namespace {

// The lowest tier that may use a mode (spec §2.12).
Tier minimum_tier(std::string_view mode) {
  if (mode == "heavy") return Tier::kHeavy;
  if (mode == "auto" || mode == "expert" || mode == "grok-420-computer-use-sa") return Tier::kSuper;
  return Tier::kBasic;
}

// Known totals per mode (spec §2.10 table; basic auto 7 or 20 in newer answers).
std::optional<Tier> tier_of_total(std::string_view mode, int64_t total) {
  if (mode == "fast") {
    if (total == 30) return Tier::kBasic;
    if (total == 140) return Tier::kSuper;
    if (total == 400) return Tier::kHeavy;
  } else if (mode == "auto") {
    if (total == 7 || total == 20) return Tier::kBasic;
    if (total == 50) return Tier::kSuper;
    if (total == 150) return Tier::kHeavy;
  } else if (mode == "expert" || mode == "grok-420-computer-use-sa") {
    if (total == 50) return Tier::kSuper;
    if (total == 150) return Tier::kHeavy;
  } else if (mode == "heavy") {
    if (total > 0) return Tier::kHeavy;
  }
  return std::nullopt;
}

}  // namespace

std::set<Tier> tiers_for_mode(std::string_view mode) {
  std::set<Tier> out;
  for (Tier t : {Tier::kBasic, Tier::kSuper, Tier::kHeavy})
    if (!is_mode(mode) || t >= minimum_tier(mode)) out.insert(t);
  return out;
}

int64_t default_window_s(Tier t) {
  return t == Tier::kBasic ? 86400 : 7200;
}

std::optional<Tier> detect_tier(const std::map<std::string, ModeTotal>& totals) {
  std::optional<Tier> named, cap;
  for (const auto& [mode, t] : totals) {
    if (t.total < 0) continue;
    if (t.total == 0) {
      // Not available: the account is below the mode's minimum tier.
      Tier min = minimum_tier(mode);
      if (min == Tier::kBasic) continue;  // fast at 0 total says nothing useful
      Tier below = static_cast<Tier>(static_cast<int>(min) - 1);
      cap = cap ? std::min(*cap, below) : below;
      continue;
    }
    if (auto tier = tier_of_total(mode, t.total)) named = named ? std::min(*named, *tier) : *tier;
  }
  if (named && cap) return std::min(*named, *cap);
  if (named) return named;
  // A cap alone names the tier only when nothing is below it.
  if (cap && *cap == Tier::kBasic) return cap;
  return std::nullopt;
}

}  // namespace g2a::tokens
