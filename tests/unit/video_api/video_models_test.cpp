// What a video adapter's models() entry says a model accepts.
#include <gtest/gtest.h>

#include "core/video/video_models.hpp"

using namespace g2a::video;

TEST(VideoModels, ParsesAVideoEntry) {
  std::string error;
  auto m = VideoModels::parse_entry(
      R"({"id":"sora-2","kind":"video","description":"d","quota":"video","tiers":["basic","super","heavy"],
          "sizes":["720x1280","1280x720"],"default_size":"1280x720",
          "seconds":{"default":6,"max":10,"max_by_tier":{"basic":6}},"references":true,
          "resolution":"480p","quality":"standard"})",
      error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->quota, "video");
  EXPECT_EQ(m->default_size, "1280x720");
  EXPECT_EQ(m->max_seconds, 10);
  EXPECT_EQ(m->max_seconds_by_tier.at("basic"), 6);
  EXPECT_EQ(m->resolution, "480p");
}

TEST(VideoModels, TiersForALength) {
  std::string error;
  auto m = VideoModels::parse_entry(
      R"({"id":"v","kind":"video","seconds":{"max":10,"max_by_tier":{"basic":6}}})", error);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->tiers_for(6), (std::vector<std::string>{"basic", "super", "heavy"}));
  EXPECT_EQ(m->tiers_for(8), (std::vector<std::string>{"super", "heavy"}));
  EXPECT_TRUE(m->tiers_for(11).empty());
}

TEST(VideoModels, SkipsOtherKindsAndRefusesBrokenEntries) {
  std::string error;
  EXPECT_FALSE(VideoModels::parse_entry(R"({"id":"grok-4","kind":"chat"})", error));
  EXPECT_TRUE(error.empty());
  EXPECT_FALSE(VideoModels::parse_entry(R"({"kind":"video"})", error));
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_FALSE(VideoModels::parse_entry("[1]", error));
  EXPECT_FALSE(error.empty());
}

TEST(VideoModels, DefaultLengthNeverExceedsTheMaximum) {
  std::string error;
  auto m = VideoModels::parse_entry(R"({"id":"v","kind":"video","seconds":{"default":8,"max":5}})",
                                    error);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->default_seconds, 5);
}
