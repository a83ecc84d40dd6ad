#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "signer_config.hpp"

namespace g2a::test {
namespace {

using namespace g2a::statsig;

g2a_status error_of(const std::string& json) {
  try {
    parse_signer_config(json);
    return G2A_OK;
  } catch (const g2a::Error& e) {
    return e.status();
  }
}

TEST(SignerConfig, Defaults) {
  SignerConfig c = parse_signer_config("{}");
  EXPECT_EQ(c.strategy, Strategy::kAuto);
  EXPECT_EQ(c.base_strategy(), Strategy::kAuto);
  EXPECT_EQ(c.upstream_url, "https://grok.com");
  EXPECT_TRUE(c.dynamic_statsig);
  EXPECT_FALSE(c.allow_x1_fallback);
  EXPECT_FALSE(c.indices);
  EXPECT_EQ(c.refresh_interval_s, 3600u);
  EXPECT_NE(c.user_agent.find("Chrome/"), std::string::npos);
  ASSERT_EQ(c.remote_paths.size(), 1u);
  EXPECT_EQ(c.remote_paths[0].key(), "POST /rest/app-chat/conversations/new");
}

TEST(SignerConfig, HostKeysAndPluginKeys) {
  SignerConfig c = parse_signer_config(
      R"({"upstream_url":"http://127.0.0.1:9/","dynamic_statsig":false,"x_statsig_id":"abc",
          "strategy":"auto","remote_url":"https://signer.example/sign","allow_x1_fallback":true,
          "indices":{"group":5,"segment":12,"time":[8,20,29]},"refresh_interval_s":0,
          "user_agent":"UA/1","cookie":"a=b","max_chunks":3,"timeout_ms":2000,
          "remote_paths":["get /rest/rate-limits","/rest/x"],"remote_batch":2,
          "remote_max_age_s":10})");
  EXPECT_EQ(c.upstream_url, "http://127.0.0.1:9");
  EXPECT_EQ(c.base_strategy(), Strategy::kFixed);  // auto + dynamic_statsig=false
  EXPECT_EQ(c.fixed_value, "abc");
  ASSERT_TRUE(c.indices);
  EXPECT_EQ(*c.indices, (Indices{5, 12, {8, 20, 29}}));
  EXPECT_EQ(c.refresh_interval_s, 0u);
  EXPECT_EQ(c.user_agent, "UA/1");
  EXPECT_EQ(c.remote_paths[0].key(), "GET /rest/rate-limits");
  EXPECT_EQ(c.remote_paths[1].key(), "POST /rest/x");
  EXPECT_EQ(c.remote_batch, 2u);
}

TEST(SignerConfig, ExplicitStrategiesIgnoreDynamicStatsig) {
  EXPECT_EQ(parse_signer_config(R"({"strategy":"local","dynamic_statsig":false})").base_strategy(),
            Strategy::kLocal);
  EXPECT_EQ(parse_signer_config(R"({"strategy":"x1"})").base_strategy(), Strategy::kX1);
}

TEST(SignerConfig, RejectsBadValues) {
  EXPECT_EQ(error_of("[]"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"strategy":"magic"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"strategy":"remote"})"), G2A_BAD_ARGUMENT);  // needs remote_url
  EXPECT_EQ(error_of(R"({"remote_url":"http://signer.example/sign"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"remote_url":"http://10.1.2.3:8080/sign"})"), G2A_OK);
  EXPECT_EQ(error_of(R"({"remote_url":"http://172.20.0.1/sign"})"), G2A_OK);
  EXPECT_EQ(error_of(R"({"remote_url":"http://172.32.0.1/sign"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"remote_url":"ftp://x"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"indices":{"group":5,"segment":12,"time":[8,20]}})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"indices":{"group":48,"segment":12,"time":[8,20,29]}})"),
            G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"refresh_interval_s":-1})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"allow_x1_fallback":"yes"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"upstream_url":"grok.com"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error_of(R"({"remote_paths":["rest/x"]})"), G2A_BAD_ARGUMENT);
}

}  // namespace
}  // namespace g2a::test
