// The plugin's config table: what the host passes, and what it refuses.
#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "redis_options.hpp"
#include "support/refusal.hpp"

namespace g2a::storage_redis {
namespace {

std::string error_of(std::string_view input) {
  return g2a::test::refusal_of(parse_redis_options, input);
}

TEST(RedisOptions, HostConfig) {
  RedisOptions o = parse_redis_options(R"({"database_url":"redis://:pw@h:1/2","pool_size":8})");
  EXPECT_EQ(o.target.host, "h");
  EXPECT_EQ(o.target.db, 2);
  EXPECT_EQ(o.pool_size, 8u);
  EXPECT_EQ(o.connect_timeout_ms, 3000u);
  RedisOptions t = parse_redis_options(
      R"({"database_url":"redis://h","command_timeout_ms":500,"connect_timeout_ms":200})");
  EXPECT_EQ(t.pool_size, 4u);
  EXPECT_EQ(t.command_timeout_ms, 500u);
  EXPECT_EQ(t.connect_timeout_ms, 200u);
}

TEST(RedisOptions, Refusals) {
  EXPECT_NE(error_of("{}").find("storage.database_url is not set"), std::string::npos);
  EXPECT_NE(error_of(R"({"database_url":""})").find("not set"), std::string::npos);
  EXPECT_NE(error_of("[]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"database_url":"redis://h","pool_size":0})").find("pool_size"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"database_url":"redis://h","pool_size":"4"})").find("pool_size"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"database_url":"redis://h","command_timeout_ms":5})").find("command_timeout_ms"),
      std::string::npos);
}

}  // namespace
}  // namespace g2a::storage_redis
