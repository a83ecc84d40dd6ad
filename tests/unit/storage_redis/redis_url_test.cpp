// storage.database_url parsing for Redis: the forms the README documents, and clear errors
// that never show the password.
#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "redis_url.hpp"
#include "support/refusal.hpp"

namespace g2a::storage_redis {
namespace {

std::string error_of(std::string_view input) {
  return g2a::test::refusal_of(parse_redis_url, input);
}

TEST(RedisUrl, HostOnlyTakesTheDefaults) {
  RedisTarget t = parse_redis_url("redis://cache.local");
  EXPECT_EQ(t.host, "cache.local");
  EXPECT_EQ(t.port, 6379);
  EXPECT_EQ(t.db, 0);
  EXPECT_TRUE(t.user.empty());
  EXPECT_TRUE(t.password.empty());
  EXPECT_EQ(t.display(), "redis://cache.local:6379/0");
}

TEST(RedisUrl, PasswordOnlyPortAndDb) {
  RedisTarget t = parse_redis_url("redis://:s3cret@127.0.0.1:6380/5");
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, 6380);
  EXPECT_EQ(t.db, 5);
  EXPECT_EQ(t.user, "");
  EXPECT_EQ(t.password, "s3cret");
  EXPECT_EQ(t.display(), "redis://127.0.0.1:6380/5");
}

TEST(RedisUrl, UserAndPercentEncodedPassword) {
  RedisTarget t = parse_redis_url("redis://app%40x:p%3Aw%2Fd@h:1/");
  EXPECT_EQ(t.user, "app@x");
  EXPECT_EQ(t.password, "p:w/d");
  EXPECT_EQ(t.db, 0);
}

TEST(RedisUrl, UnencodedAtInThePasswordSplitsAtTheLastAt) {
  RedisTarget t = parse_redis_url("redis://u:p@ss@host/2");
  EXPECT_EQ(t.password, "p@ss");
  EXPECT_EQ(t.host, "host");
  EXPECT_EQ(t.db, 2);
}

TEST(RedisUrl, Ipv6InBrackets) {
  RedisTarget t = parse_redis_url("redis://[::1]:7000/3");
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.port, 7000);
  EXPECT_EQ(t.display(), "redis://[::1]:7000/3");
  EXPECT_NE(error_of("redis://::1:7000").find("brackets"), std::string::npos);
}

TEST(RedisUrl, TlsIsRefusedSayingWhy) {
  std::string e = error_of("rediss://:pw@host:6380/0");
  EXPECT_NE(e.find("rediss://"), std::string::npos);
  EXPECT_NE(e.find("TLS"), std::string::npos);
  EXPECT_EQ(e.find("pw"), std::string::npos);
}

TEST(RedisUrl, BadUrlsNameTheProblemNotThePassword) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:topsecret@h/db").find("\"mysql\""), std::string::npos);
  EXPECT_EQ(error_of("mysql://u:topsecret@h/db").find("topsecret"), std::string::npos);
  EXPECT_NE(error_of("localhost:6379").find("redis://"), std::string::npos);
  EXPECT_NE(error_of("redis://h:0").find("port"), std::string::npos);
  EXPECT_NE(error_of("redis://h:65536").find("port"), std::string::npos);
  EXPECT_NE(error_of("redis://h:12x").find("port"), std::string::npos);
  EXPECT_NE(error_of("redis://h:").find("empty port"), std::string::npos);
  EXPECT_NE(error_of("redis://h/x").find("database"), std::string::npos);
  EXPECT_NE(error_of("redis://h/-1").find("negative"), std::string::npos);
  EXPECT_NE(error_of("redis://:pw@/0").find("no host"), std::string::npos);
  EXPECT_NE(error_of("redis://h/0?ssl=true").find("query"), std::string::npos);
  std::string no_colon = error_of("redis://hunter2@h/0");
  EXPECT_NE(no_colon.find(":PASSWORD@"), std::string::npos);
  EXPECT_EQ(no_colon.find("hunter2"), std::string::npos);
  EXPECT_NE(error_of("redis://user:@h").find("needs a password"), std::string::npos);
}

}  // namespace
}  // namespace g2a::storage_redis
