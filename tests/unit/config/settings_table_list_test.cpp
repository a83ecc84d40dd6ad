// Arrays of tables ([[global.api_keys]], [[models]]): TOML, environment (JSON), saved
// settings, masking, and errors that name the entry and key.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "config_test_support.hpp"
#include "core/config/settings.hpp"

namespace g2a::config {
namespace {

using testing::config_error;
using testing::load_env;
using testing::load_text;

constexpr const char* kTwoKeys = R"(
[grok]
api_key = "sk-main"

[[global.api_keys]]
name = "ci"
key = "sk-ci-secret"
rpm = 30

[[global.api_keys]]
name = "app"
key = "sk-app-secret"
models = ["grok-4-fast", "fast"]
)";

TEST(TableList, TomlArrayOfTablesLoads) {
  auto loaded = load_text(kTwoKeys);
  const auto& keys = loaded.settings.global.api_keys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].name, "ci");
  EXPECT_EQ(keys[0].key, "sk-ci-secret");
  EXPECT_EQ(keys[0].rpm, 30);
  EXPECT_TRUE(keys[0].models.empty());
  EXPECT_EQ(keys[1].rpm, 0);
  EXPECT_EQ(keys[1].models, (std::vector<std::string>{"grok-4-fast", "fast"}));
  EXPECT_TRUE(loaded.warnings.empty()) << ::testing::PrintToString(loaded.warnings);
}

TEST(TableList, InlineTablesLoadToo) {
  auto loaded = load_text("[global]\napi_keys = [{name = \"a\", key = \"k1\"}]\n");
  ASSERT_EQ(loaded.settings.global.api_keys.size(), 1u);
  EXPECT_EQ(loaded.settings.global.api_keys[0].name, "a");
}

TEST(TableList, ErrorsNameTheEntryAndKey) {
  EXPECT_EQ(config_error([] {
              load_text(
                  "[[global.api_keys]]\nname=\"a\"\nkey=\"k1\"\n[[global.api_keys]]\nname=\"b\"\n"
                  "key=\"k2\"\n[[global.api_keys]]\nname=\"c\"\nkey=\"k3\"\nrpm = -1\n");
            }),
            "global.api_keys[2].rpm: expected an integer >= 0, got -1");
  EXPECT_EQ(config_error([] { load_text("[[global.api_keys]]\nname=\"a\"\nkey=\"k1\"\nrmp=5\n"); }),
            "global.api_keys[0].rmp: unknown key; expected one of name, key, rpm, models");
  EXPECT_EQ(config_error([] { load_text("[[global.api_keys]]\nname=\"a\"\n"); }),
            "global.api_keys[0].key: missing; every entry needs one");
  EXPECT_EQ(config_error([] {
              load_text(
                  "[[global.api_keys]]\nname=\"a\"\nkey=\"k1\"\n[[global.api_keys]]\nname=\"a\"\n"
                  "key=\"k2\"\n");
            }),
            "global.api_keys[1].name: repeats the name of an earlier entry");
  EXPECT_EQ(config_error([] { load_text("[global]\napi_keys = 3\n"); }),
            "global.api_keys: expected an array of tables with the keys name, key, rpm, models, "
            "got an integer");
  EXPECT_EQ(config_error([] { load_text("[[models]]\nkind = \"audio\"\nid = \"x\"\n"); }),
            "models[0].kind: expected empty or one of chat, image, video, got \"audio\"");
}

TEST(TableList, ASecretCellIsNeverEchoedInAnError) {
  auto message = config_error([] { load_text("[[global.api_keys]]\nname=\"a\"\nkey=12345\n"); });
  EXPECT_EQ(message, "global.api_keys[0].key: expected a non-empty string, got an integer");
}

TEST(TableList, DefaultKeyNameAndValueAreReservedForGrokApiKey) {
  EXPECT_EQ(
      config_error([] {
        load_text("[grok]\napi_key=\"k\"\n[[global.api_keys]]\nname=\"default\"\nkey=\"x\"\n");
      }),
      "global.api_keys[0].name: \"default\" is the name of grok.api_key; choose another");
  EXPECT_EQ(config_error([] {
              load_text("[grok]\napi_key=\"k\"\n[[global.api_keys]]\nname=\"b\"\nkey=\"k\"\n");
            }),
            "global.api_keys[0].key: repeats grok.api_key; each key needs its own value");
}

TEST(TableList, EnvironmentTakesJsonAndPinsTheKey) {
  auto loaded =
      load_env({{"GROK2API_GLOBAL_API_KEYS", R"([{"name":"env","key":"sk-env","rpm":2}])"}});
  ASSERT_EQ(loaded.settings.global.api_keys.size(), 1u);
  EXPECT_EQ(loaded.settings.global.api_keys[0].rpm, 2);
  EXPECT_TRUE(loaded.pinned.count("global.api_keys"));
  EXPECT_EQ(config_error([] {
              load_env({{"GROK2API_GLOBAL_API_KEYS", "[{"}});
            }).rfind("global.api_keys: expected an array of tables", 0),
            0u);
  EXPECT_EQ(config_error([] {
              load_env({{"GROK2API_MODELS", R"([{"id":"m","tiers":["gold"]}])"}});
            }),
            "models[0].tiers: expected an array of basic, super, heavy, got [\"gold\"] (from "
            "environment variable GROK2API_MODELS)");
}

TEST(TableList, SavedSettingsOverrideTheFile) {
  auto loaded = load_text(kTwoKeys, {}, R"({"global":{"api_keys":[{"name":"saved","key":"k9"}]}})");
  ASSERT_EQ(loaded.settings.global.api_keys.size(), 1u);
  EXPECT_EQ(loaded.settings.global.api_keys[0].name, "saved");
  EXPECT_EQ(config_error([] {
              load_text("", {}, R"({"global":{"api_keys":[{"name":"x","key":"k","rpm":"9"}]}})");
            }),
            "global.api_keys[0].rpm: expected an integer >= 0, got \"9\" (from saved settings)");
}

TEST(TableList, JsonMasksSecretCellsAndRoundTrips) {
  auto loaded = load_text(kTwoKeys);
  auto masked = boost::json::parse(to_json(loaded.settings, false));
  EXPECT_EQ(masked.at("global").at("api_keys").at(0).at("key"), "****");
  EXPECT_EQ(masked.at("global").at("api_keys").at(0).at("name"), "ci");
  EXPECT_EQ(masked.at("global").at("api_keys").at(1).at("models").at(1), "fast");
  EXPECT_EQ(to_json(loaded.settings, false).find("sk-ci-secret"), std::string::npos);

  auto text = to_json(loaded.settings, true);
  auto again = load_text("", {}, text);
  EXPECT_EQ(to_json(again.settings, true), text);
  EXPECT_EQ(again.settings.global.api_keys[1].key, "sk-app-secret");
}

TEST(TableList, TopLevelModelsTable) {
  auto loaded = load_text(R"(
[[models]]
id = "my-fast"
mode = "fast"
tiers = ["Basic"]
description = "an alias"

[[models]]
id = "grok4.1"
listed = true
)");
  ASSERT_EQ(loaded.settings.models.size(), 2u);
  EXPECT_EQ(loaded.settings.models[0].tiers, (std::vector<std::string>{"basic"}));
  EXPECT_TRUE(loaded.settings.models[1].listed);
  auto json = boost::json::parse(to_json(loaded.settings, false));
  EXPECT_EQ(json.at("models").at(0).at("id"), "my-fast");
  EXPECT_EQ(config_error([] { load_text("[[models]]\nid = \"a\"\n[[models]]\nid = \"a\"\n"); }),
            "models[1].id: repeats the id of an earlier entry");
  EXPECT_EQ(config_error([] { load_text("[[models]]\nid = \"\"\n"); }),
            "models[0].id: expected a non-empty string, got \"\"");
}

// Any list of well-formed keys survives TOML -> settings -> JSON -> saved settings.
RC_GTEST_PROP(TableList, RandomKeyListsRoundTrip, ()) {
  auto count = *rc::gen::inRange<size_t>(0, 6);
  std::string toml;
  for (size_t i = 0; i < count; ++i) {
    auto rpm = *rc::gen::inRange<int64_t>(0, 100000);
    auto models = *rc::gen::container<std::vector<std::string>>(
        rc::gen::element<std::string>("fast", "grok-4-heavy", "x y", "\"q\""));
    std::string list;
    for (const auto& m : models)
      list += (list.empty() ? "" : ", ") + boost::json::serialize(boost::json::value(m));
    toml += fmt::format(
        "[[global.api_keys]]\nname = \"k{}\"\nkey = \"sk-{}\"\nrpm = {}\nmodels = [{}]\n", i, i,
        rpm, list);
  }
  auto loaded = load_text(toml);
  RC_ASSERT(loaded.settings.global.api_keys.size() == count);
  auto text = to_json(loaded.settings, true);
  auto again = load_text("", {}, text);
  RC_ASSERT(to_json(again.settings, true) == text);
}

TEST(AdminPassword, AHashMustBeWellFormed) {
  const std::string good =
      "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$dClvKSmj66n6MdMWNv3Go4mvH1Ym2WIGiJvquqa+mfE=";
  EXPECT_EQ(
      load_text("[global]\nadmin_password = \"" + good + "\"\n").settings.global.admin_password,
      good);
  EXPECT_EQ(
      load_text("[global]\nadmin_password = \"plain words\"\n").settings.global.admin_password,
      "plain words");
  for (const char* bad : {"pbkdf2-sha256$", "pbkdf2-sha256$0$c2FsdA==$AAAA",
                          "pbkdf2-sha256$1000$c2FsdA==$AAAA", "pbkdf2-sha256$x$c2FsdA==$AAAA"}) {
    auto message = config_error(
        [&] { load_text(std::string("[global]\nadmin_password = \"") + bad + "\"\n"); });
    EXPECT_EQ(message.rfind("global.admin_password: expected a password, or pbkdf2-sha256", 0), 0u)
        << bad << ": " << message;
    EXPECT_TRUE(message.ends_with(", got a string")) << "the secret is echoed: " << message;
  }
}

}  // namespace
}  // namespace g2a::config
