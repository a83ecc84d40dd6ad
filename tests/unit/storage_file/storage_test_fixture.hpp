// Per-test setup: a fresh temp directory with data/ inside, a test host pointing at it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_host.hpp"

namespace g2a::test {

class StorageFileTest : public ::testing::Test {
 protected:
  // Opens the plugin and fails the test (returning nullptr) when create() fails.
  std::unique_ptr<StorageClient> open() {
    g2a_status status = G2A_OK;
    std::string error;
    auto client = open_file_storage(host, &status, &error);
    EXPECT_EQ(status, G2A_OK) << error;
    return client;
  }

  // Opens the plugin expecting create() to fail; returns its message.
  std::string open_fails(g2a_status expected) {
    g2a_status status = G2A_OK;
    std::string error;
    auto client = open_file_storage(host, &status, &error);
    EXPECT_EQ(client, nullptr);
    EXPECT_EQ(status, expected) << error;
    return error;
  }

  void TearDown() override { TestHost::unfreeze_clock(); }

  TempDir tmp;
  std::filesystem::path data = tmp.path() / "data";
  TestHost host{data.string()};
};

}  // namespace g2a::test
