// The conformance suite's fixture: each test runs once per backend (file, mysql, redis) on
// a fresh store opened through the plugin's C table. mysql/redis skip, saying why, when
// their server URL is not set or their plugin is not built.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>

#include "backend.hpp"

namespace g2a::test {

class StorageConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<BackendStore>(GetParam());
    if (!backend_->skip_reason().empty()) GTEST_SKIP() << backend_->skip_reason();
    ASSERT_EQ(backend_->error(), "");
    store = open();
    ASSERT_TRUE(store);
  }

  // A new instance on the same database (fails the test on error).
  std::unique_ptr<StorageClient> open() {
    g2a_status status = G2A_OK;
    std::string error;
    auto client = backend_->open(&status, &error);
    EXPECT_EQ(status, G2A_OK) << error;
    return client;
  }
  // destroy + create on the same database: what a gateway restart does.
  void reopen() {
    store.reset();
    store = open();
    ASSERT_TRUE(store);
  }

  std::unique_ptr<BackendStore> backend_;  // outlives store (its host)
  std::unique_ptr<StorageClient> store;
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

inline boost::json::value json(const std::string& text) {
  return boost::json::parse(text);
}

}  // namespace g2a::test
