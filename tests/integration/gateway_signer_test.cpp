// The gateway binary pointed at the simulator: the signer plugin prepares against the
// site at start-up and /health reports its strategy and state.
#include <gtest/gtest.h>

#include <signal.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "simulator_process.hpp"
#include "test_json.hpp"

namespace g2a::test {
namespace {

class GatewaySigner : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    sim_ = SimulatorProcess::start(&why);
    if (!sim_) GTEST_SKIP() << why;
  }
  std::map<std::string, std::string> env() {
    return {{"GROK2API_GROK_UPSTREAM_URL", sim_->grok()},
            {"GROK2API_GROK_ASSETS_URL", sim_->assets()}};
  }
  TempDir dir_;
  std::unique_ptr<SimulatorProcess> sim_;
  HttpClient http_;
};

TEST_F(GatewaySigner, LocalSignerPreparesAgainstTheSiteAndHealthShowsIt) {
  ServerProcess s(ServerConfig(dir_.str(), "", {}, env()));
  ASSERT_TRUE(s.wait_for_output("[Signer] ready")) << s.output();
  auto v = parse_json(http_.get(s.url("/health")).body);
  EXPECT_EQ(at(v, "signer/plugin"), "signer-statsig");
  EXPECT_EQ(at(v, "signer/status/ready"), true) << v;
  auto strategy = std::string(at(v, "signer/status/strategy").as_string());
  EXPECT_NE(strategy.find("local"), std::string::npos) << v;
  EXPECT_EQ(sim_->violations(), "[]");
}

TEST_F(GatewaySigner, FixedStrategyFromTheProSetting) {
  auto e = env();
  e["GROK2API_GROK_DYNAMIC_STATSIG"] = "false";
  e["X_STATSIG_ID"] = "fixed-value-from-settings";
  ServerProcess s(ServerConfig(dir_.str(), "", {}, e));
  ASSERT_TRUE(s.wait_for_output("[Signer] ready")) << s.output();
  auto v = parse_json(http_.get(s.url("/health")).body);
  auto strategy = std::string(at(v, "signer/status/strategy").as_string());
  EXPECT_NE(strategy.find("fixed"), std::string::npos) << v;
  EXPECT_EQ(s.output().find("fixed-value-from-settings"), std::string::npos)
      << "the fixed value is a secret and must not be logged";
}

TEST_F(GatewaySigner, UnreachableSiteIsReportedNotFatal) {
  auto e = env();
  e["GROK2API_GROK_UPSTREAM_URL"] = "http://127.0.0.1:1";
  ServerProcess s(ServerConfig(dir_.str(), "", {}, e));
  ASSERT_TRUE(s.wait_for_output("[Signer] not ready yet")) << s.output();
  auto r = http_.get(s.url("/health"));
  EXPECT_EQ(r.status, 200);
  auto v = parse_json(r.body);
  EXPECT_EQ(at(v, "signer/status/ready"), false) << v;
  EXPECT_FALSE(at(v, "signer/status/last_error").is_null()) << v;
}

}  // namespace
}  // namespace g2a::test
