// The NDJSON stream of an image edit (spec §2.5c), read piece by piece.
#include <gtest/gtest.h>

#include "core/media/image_edit.hpp"

namespace {
using g2a::media::ImageEditStream;
using g2a::upstream::grok::Problem;

const char* kStream =
    R"({"result":{"conversation":{"conversationId":"c1"}}})"
    "\n"
    R"({"result":{"response":{"streamingImageGenerationResponse":{"imageUrl":"","progress":60,"isFinal":false}}}})"
    "\n"
    R"(data: {"result":{"response":{"streamingImageGenerationResponse":{"imageUrl":"users/u/generated/a.jpg","progress":100,"isFinal":true,"moderated":false}}}})"
    "\r\n"
    R"({"result":{"response":{"modelResponse":{"generatedImageUrls":["users/u/generated/a.jpg","users/u/generated/b.jpg"]}}}})";

TEST(ImageEditStream, FinalImagesInOrderWhateverTheSplit) {
  std::string all(kStream);
  for (size_t step : {1u, 7u, 64u, 10000u}) {
    ImageEditStream s;
    for (size_t i = 0; i < all.size(); i += step) s.feed(std::string_view(all).substr(i, step));
    s.finish();
    ASSERT_FALSE(s.error().has_value());
    ASSERT_EQ(s.urls().size(), 2u) << step;
    EXPECT_EQ(s.urls()[0], "users/u/generated/a.jpg");
    EXPECT_EQ(s.urls()[1], "users/u/generated/b.jpg");
  }
}

TEST(ImageEditStream, ModerationAndErrors) {
  ImageEditStream moderated;
  moderated.feed(
      R"({"result":{"response":{"streamingImageGenerationResponse":{"imageUrl":"x.jpg","progress":100,"isFinal":true,"moderated":true}}}})"
      "\n");
  moderated.finish();
  EXPECT_TRUE(moderated.moderated());
  EXPECT_TRUE(moderated.urls().empty());

  ImageEditStream limited;
  limited.feed(
      R"({"result":{"response":{"error":{"message":"You've reached your usage limit. Please try again later."}}}})");
  limited.finish();
  ASSERT_TRUE(limited.error().has_value());
  EXPECT_EQ(limited.error()->problem, Problem::kUsageLimit);

  ImageEditStream antibot;
  antibot.feed(
      R"({"error":{"code":7,"message":"Request rejected by anti-bot rules.","details":[]}})"
      "\n");
  ASSERT_TRUE(antibot.error().has_value());
  EXPECT_EQ(antibot.error()->problem, Problem::kAntiBot);
}

}  // namespace
