// [[models]] merged over the built-in model table, and errors naming the entry.
#include <gtest/gtest.h>

#include "core/openai/model_table.hpp"

namespace g2a::openai {
namespace {

std::string error_of(const std::vector<config::ModelSetting>& entries) {
  try {
    ModelTable::with_settings(entries);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelSettings, NoEntriesIsTheBuiltInTable) {
  auto t = ModelTable::with_settings({});
  EXPECT_EQ(t.entries().size(), ModelTable::defaults().entries().size());
}

TEST(ModelSettings, NewIdsAndChangesMergeById) {
  config::ModelSetting added;
  added.id = "house-expert";
  added.mode = "expert";
  added.tiers = {"super"};
  added.description = "ours";
  config::ModelSetting shown;
  shown.id = "grok4.1";  // hidden by default
  config::ModelSetting image;
  image.id = "my-imagine";
  image.kind = "image";
  image.mode = "imagine-pro";
  auto t = ModelTable::with_settings({added, shown, image});
  const auto* a = t.find("house-expert");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, ModelKind::kChat);
  EXPECT_EQ(a->mode, "expert");
  EXPECT_EQ(a->tiers, (std::vector<std::string>{"super"}));
  const auto* s = t.find("grok4.1");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->listed);
  EXPECT_EQ(s->mode, "fast");  // kept from the built-in entry
  EXPECT_EQ(s->description, ModelTable::defaults().find("grok4.1")->description);
  EXPECT_EQ(t.find("my-imagine")->kind, ModelKind::kImage);
  EXPECT_EQ(t.entries().size(), ModelTable::defaults().entries().size() + 2);
}

TEST(ModelSettings, ErrorsNameTheEntry) {
  config::ModelSetting ok;
  ok.id = "fine";
  ok.mode = "fast";
  config::ModelSetting bad_mode;
  bad_mode.id = "x";
  bad_mode.mode = "turbo";
  EXPECT_EQ(error_of({ok, ok, bad_mode}),
            "models[2].mode: expected one of fast, auto, expert, heavy, grok-420-computer-use-sa "
            "for a chat model, got \"turbo\"");
  config::ModelSetting no_mode;
  no_mode.id = "new-id";
  EXPECT_EQ(error_of({no_mode}).rfind("models[0].mode: expected one of fast", 0), 0u);
  config::ModelSetting video_as_chat;
  video_as_chat.id = "sora-2";
  video_as_chat.mode = "fast";  // sora-2 stays a video model
  EXPECT_EQ(error_of({video_as_chat}),
            "models[0].mode: expected one of imagine-video-gen for a video model, got \"fast\"");
  config::ModelSetting bad_tier;
  bad_tier.id = "fast";
  bad_tier.tiers = {"gold"};
  EXPECT_EQ(error_of({bad_tier}), "models[0].tiers: expected basic, super or heavy, got \"gold\"");
}

}  // namespace
}  // namespace g2a::openai
