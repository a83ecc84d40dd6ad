// Shared setup for tests that drive the plugin through its C ABI: a fake host, a frozen
// clock at the vector's time and a check that every host buffer was freed.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "base64.hpp"
#include "fake_host.hpp"
#include "signer_client.hpp"
#include "statsig_value.hpp"
#include "test_pages.hpp"
#include "vector_data.hpp"

namespace g2a::test {

class SignerTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNowMs = vector::kUnixTime * 1000 + 250;

  void SetUp() override {
    TestHost::freeze_clock(kNowMs, 5'000'000);
    allocations_ = TestHost::live_allocations();
  }
  void TearDown() override {
    TestHost::unfreeze_clock();
    EXPECT_EQ(TestHost::live_allocations(), allocations_) << "host buffers leaked";
  }

  // The plugin table: upstream_url on the fake site plus `extra` members ("" or "a":1,...).
  static std::string config(const std::string& extra = "") {
    std::string json = "{\"upstream_url\":\"" + pages::kBase + "\"";
    if (!extra.empty()) json += "," + extra;
    return json + "}";
  }

  // Whether value is what the vector's seed and fingerprint give for this request, with
  // the nonce the value carries.
  static ::testing::AssertionResult is_vector_value(const std::string& value,
                                                    const std::string& method,
                                                    const std::string& path, int64_t now_ms) {
    auto raw = statsig::base64_decode(value);
    if (!raw || raw->size() != 70) return ::testing::AssertionFailure() << "not 70 bytes";
    std::string expected =
        statsig::statsig_value(statsig::base64_decode(vector::kSeed).value(), vector::kFingerprint,
                               method, path, statsig::statsig_time(now_ms), (*raw)[0]);
    if (expected != value) return ::testing::AssertionFailure() << value << " != " << expected;
    return ::testing::AssertionSuccess();
  }

  static std::string field(const boost::json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    if (!v) return "<absent>";
    return v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v);
  }

  FakeHost host;

 private:
  int64_t allocations_ = 0;
};

}  // namespace g2a::test
