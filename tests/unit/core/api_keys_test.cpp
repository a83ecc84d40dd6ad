// /v1 keys: lookup by digest, names, the per-key rpm window, the model allow-list.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "core/admin/api_keys.hpp"
#include "core/admin/login_throttle.hpp"
#include "core/admin/sliding_window.hpp"

namespace g2a::admin {
namespace {

using namespace std::chrono_literals;
using Clock = SlidingWindow::Clock;

std::shared_ptr<const config::Settings> settings_with_keys() {
  auto s = std::make_shared<config::Settings>();
  s->grok.api_key = "sk-main";
  s->global.api_keys = {{"ci", "sk-ci", 2, {}}, {"app", "sk-app", 0, {"fast", "grok-4-fast"}}};
  return s;
}

TEST(ApiKeys, FindsEveryKeyByItsValueAndNothingElse) {
  auto keys = ApiKeys::from_settings(*settings_with_keys());
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(ApiKeys::find(keys, "sk-main")->name, "default");
  EXPECT_EQ(ApiKeys::find(keys, "sk-ci")->name, "ci");
  EXPECT_EQ(ApiKeys::find(keys, "sk-app")->name, "app");
  for (const char* wrong : {"", "sk-", "sk-ci ", "sk-cj", "SK-CI", "sk-main-longer"})
    EXPECT_EQ(ApiKeys::find(keys, wrong), nullptr) << wrong;
}

RC_GTEST_PROP(ApiKeys, LookupMatchesExactlyTheEqualKey, ()) {
  auto values = *rc::gen::unique<std::vector<std::string>>(
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>(32, 127))));
  std::vector<ApiKey> keys;
  for (size_t i = 0; i < values.size(); ++i)
    keys.push_back({"k" + std::to_string(i), ApiKeys::digest(values[i]), 0, {}});
  auto probe = *rc::gen::container<std::string>(rc::gen::inRange<char>(32, 127));
  const ApiKey* found = ApiKeys::find(keys, probe);
  auto it = std::find(values.begin(), values.end(), probe);
  if (it == values.end()) {
    RC_ASSERT(found == nullptr);
  } else {
    RC_ASSERT(found != nullptr);
    RC_ASSERT(found->name == "k" + std::to_string(it - values.begin()));
  }
}

TEST(ApiKeys, NoKeysLeavesV1Open) {
  ApiKeys keys;
  auto open = std::make_shared<const config::Settings>();
  EXPECT_EQ(keys.check(open, "").result, KeyCheck::Result::kOpen);
  EXPECT_EQ(keys.check(open, "anything").result, KeyCheck::Result::kOpen);
  EXPECT_TRUE(keys.allows(open, "", "grok-4-heavy"));
}

TEST(ApiKeys, MissingWrongAcceptedAndRateLimited) {
  ApiKeys keys;
  auto s = settings_with_keys();
  auto t0 = Clock::now();
  EXPECT_EQ(keys.check(s, "", t0).result, KeyCheck::Result::kMissing);
  EXPECT_EQ(keys.check(s, "nope", t0).result, KeyCheck::Result::kWrong);
  EXPECT_EQ(keys.check(s, "sk-ci", t0).result, KeyCheck::Result::kAccepted);
  EXPECT_EQ(keys.check(s, "sk-ci", t0 + 10s).result, KeyCheck::Result::kAccepted);
  auto third = keys.check(s, "sk-ci", t0 + 20s);
  EXPECT_EQ(third.result, KeyCheck::Result::kRateLimited);
  EXPECT_EQ(third.name, "ci");
  EXPECT_EQ(third.retry_after, 40s);  // when the first request leaves the minute
  EXPECT_EQ(retry_after_seconds(third.retry_after), 40);
  EXPECT_EQ(keys.check(s, "sk-ci", t0 + 60s).result, KeyCheck::Result::kAccepted);
  // Other keys have their own (or no) limit.
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(keys.check(s, "sk-main", t0).result, KeyCheck::Result::kAccepted);
}

TEST(ApiKeys, ModelAllowList) {
  ApiKeys keys;
  auto s = settings_with_keys();
  EXPECT_TRUE(keys.allows(s, "default", "grok-4-heavy"));
  EXPECT_TRUE(keys.allows(s, "ci", "grok-4-heavy"));
  EXPECT_TRUE(keys.allows(s, "app", "fast"));
  EXPECT_FALSE(keys.allows(s, "app", "grok-4-heavy"));
  EXPECT_FALSE(keys.allows(s, "gone", "fast"));
}

TEST(ApiKeys, ChangedSettingsRebuildTheKeys) {
  ApiKeys keys;
  auto s = settings_with_keys();
  EXPECT_EQ(keys.check(s, "sk-new").result, KeyCheck::Result::kWrong);
  auto next = std::make_shared<config::Settings>(*s);
  next->global.api_keys.push_back({"new", "sk-new", 0, {}});
  EXPECT_EQ(keys.check(next, "sk-new").name, "new");
}

// Whatever the arrival times, a window never holds more than limit accepted events, and
// a refusal happens only when it is full; after the wait it names, one more fits.
RC_GTEST_PROP(SlidingWindow, NeverMoreThanLimitPerWindowAndWaitIsExact, ()) {
  auto limit = *rc::gen::inRange<int64_t>(1, 8);
  auto gaps = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 30000));
  SlidingWindow window(60s);
  auto t = Clock::time_point{} + 1000h;
  std::vector<Clock::time_point> accepted;
  for (int gap : gaps) {
    t += std::chrono::milliseconds(gap);
    auto in_window =
        std::count_if(accepted.begin(), accepted.end(), [&](auto a) { return a + 60s > t; });
    auto wait = window.acquire("k", limit, t);
    if (!wait) {
      RC_ASSERT(in_window < limit);
      accepted.push_back(t);
    } else {
      RC_ASSERT(in_window == limit);
      RC_ASSERT(*wait > 0ms);
      RC_ASSERT(window.wait("k", limit, t + *wait - 1ms).has_value());
      RC_ASSERT(!window.wait("k", limit, t + *wait));
    }
  }
}

TEST(SlidingWindow, KeysAreBounded) {
  SlidingWindow window(60s, 100);
  auto t = Clock::now();
  for (int i = 0; i < 1000; ++i) window.record("ip:" + std::to_string(i), t);
  EXPECT_LE(window.keys(), 100u);
  window.record("late", t + 120s);  // every earlier key has left the window
  EXPECT_EQ(window.keys(), 1u);
}

TEST(LoginThrottle, CountsPerClientIpAndPerUserName) {
  LoginThrottle t;
  auto t0 = Clock::now();
  auto wait = [&](const char* ip, const char* user, Clock::time_point now) {
    return t.wait(ip, user, 3, 900s, now);
  };
  // One user name tried from three addresses: the name is what gets locked.
  t.failed("10.0.0.1", "admin", t0);
  t.failed("10.0.0.2", "admin", t0 + 1s);
  t.failed("10.0.0.3", "admin", t0 + 2s);
  EXPECT_EQ(wait("10.0.0.4", "admin", t0 + 3s), 897s);  // the first failure leaves at 900 s
  EXPECT_FALSE(wait("10.0.0.4", "other", t0 + 3s));
  EXPECT_FALSE(wait("10.0.0.4", "admin", t0 + 900s));
  // One address trying three names: the address is what gets locked.
  t.failed("10.9.9.9", "a", t0);
  t.failed("10.9.9.9", "b", t0);
  t.failed("10.9.9.9", "c", t0);
  EXPECT_TRUE(wait("10.9.9.9", "d", t0 + 1s));
  EXPECT_FALSE(wait("10.9.9.8", "d", t0 + 1s));
  // A success clears the address and the name.
  t.succeeded("10.9.9.9", "a");
  EXPECT_FALSE(wait("10.9.9.9", "d", t0 + 1s));
}

}  // namespace
}  // namespace g2a::admin
