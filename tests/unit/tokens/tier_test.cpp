// Tier detection from quota totals (spec grok-upstream-current §2.10) and mode access
// (§2.12).
#include <gtest/gtest.h>

#include "core/tokens/tier.hpp"

namespace g2a::tokens {
namespace {

std::optional<Tier> from(std::map<std::string, int64_t> totals) {
  std::map<std::string, ModeTotal> m;
  for (auto& [k, v] : totals) m[k].total = v;
  return detect_tier(m);
}

TEST(TierDetection, KnownTotalsNameTheTier) {
  EXPECT_EQ(from({{"fast", 30}}), Tier::kBasic);
  EXPECT_EQ(from({{"fast", 140}}), Tier::kSuper);
  EXPECT_EQ(from({{"fast", 400}}), Tier::kHeavy);
  EXPECT_EQ(from({{"auto", 20}}), Tier::kBasic);
  EXPECT_EQ(from({{"auto", 7}}), Tier::kBasic);
  EXPECT_EQ(from({{"expert", 50}}), Tier::kSuper);
  EXPECT_EQ(from({{"expert", 150}, {"heavy", 20}}), Tier::kHeavy);
  EXPECT_EQ(from({{"fast", 140}, {"auto", 50}, {"expert", 50}}), Tier::kSuper);
}

TEST(TierDetection, LowestWinsOnContradiction) {
  EXPECT_EQ(from({{"fast", 400}, {"expert", 50}}), Tier::kSuper);
  EXPECT_EQ(from({{"fast", 30}, {"auto", 150}}), Tier::kBasic);
}

TEST(TierDetection, UnavailableModesCapTheTier) {
  EXPECT_EQ(from({{"expert", 0}}), Tier::kBasic);  // nothing below basic
  EXPECT_EQ(from({{"heavy", 0}}), std::nullopt);   // basic or super
  EXPECT_EQ(from({{"heavy", 0}, {"fast", 400}}), Tier::kSuper);
  EXPECT_EQ(from({{"fast", 0}}), std::nullopt);
}

TEST(TierDetection, UnknownTotalsSayNothing) {
  EXPECT_EQ(from({}), std::nullopt);
  EXPECT_EQ(from({{"fast", 77}}), std::nullopt);
  EXPECT_EQ(from({{"fast", -1}}), std::nullopt);
}

TEST(TierAccess, ModesPerTier) {
  EXPECT_EQ(tiers_for_mode("fast"), (std::set<Tier>{Tier::kBasic, Tier::kSuper, Tier::kHeavy}));
  EXPECT_EQ(tiers_for_mode("expert"), (std::set<Tier>{Tier::kSuper, Tier::kHeavy}));
  EXPECT_EQ(tiers_for_mode("auto"), (std::set<Tier>{Tier::kSuper, Tier::kHeavy}));
  EXPECT_EQ(tiers_for_mode("heavy"), (std::set<Tier>{Tier::kHeavy}));
  EXPECT_EQ(default_window_s(Tier::kBasic), 86400);
  EXPECT_EQ(default_window_s(Tier::kSuper), 7200);
  EXPECT_EQ(tier_from_string("heavy"), Tier::kHeavy);
  EXPECT_EQ(tier_from_string("auto"), std::nullopt);
}

}  // namespace
}  // namespace g2a::tokens
