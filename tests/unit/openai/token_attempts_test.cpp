// The token-attempt loop's egress handling: another proxy after an egress failure, one
// clearance refresh after a Cloudflare challenge, a clear 503 when there is no way out.
// The pool and the egress service are test doubles: the loop's decisions are what is
// tested here; tests/sdk/proxy_pool.test.mjs runs the same paths with real proxies.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <deque>
#include <map>

#include "core/calllog/call_record.hpp"
#include "core/openai/token_attempts.hpp"
#include "core/proxy/egress_service.hpp"

namespace g2a::openai {
namespace {
namespace asio = boost::asio;
using upstream::grok::Diagnosis;
using upstream::grok::Egress;
using upstream::grok::Problem;

class Lease : public chat::TokenLease {
 public:
  explicit Lease(std::string sso) : sso_(std::move(sso)) {}
  const std::string& sso() const override { return sso_; }

 private:
  std::string sso_;
};

class Tokens : public chat::TokenSource {
 public:
  std::vector<std::string> ssos{"sso-a", "sso-b"};
  std::vector<std::pair<std::string, Problem>> reports;
  std::unique_ptr<chat::TokenLease> acquire(const chat::TokenRequirement&,
                                            const std::set<std::string>& exclude) override {
    for (const auto& s : ssos)
      if (!exclude.count(s)) return std::make_unique<Lease>(s);
    return nullptr;
  }
  void report(const std::string& sso, const std::string&, const Diagnosis& d) override {
    reports.emplace_back(sso, d.problem);
  }
  std::optional<int64_t> next_available_ms(const chat::TokenRequirement&) override {
    return std::nullopt;
  }
};

Egress proxy(const std::string& url) {
  Egress e;
  e.id = e.proxy_url = url;
  e.user_agent = "ua-" + url;
  return e;
}

// Hands out proxies in order, skipping `avoid`.
class Egresses : public proxy::EgressService {
 public:
  std::vector<std::string> urls{"http://p1:1", "http://p2:2"};
  std::vector<std::string> succeeded_ids, failed_ids;
  int solves = 0;
  bool solver_works = true;
  asio::awaitable<std::optional<Egress>> for_sso(std::string sso,
                                                 std::set<std::string> avoid) override {
    co_return pick(sso, avoid);
  }
  std::optional<Egress> pick(const std::string&, const std::set<std::string>& avoid) override {
    for (const auto& u : urls)
      if (!avoid.count(u)) return proxy(u);
    return std::nullopt;
  }
  std::optional<Egress> for_assets(const std::string& sso) override { return pick(sso, {}); }
  void succeeded(const std::string& id) override { succeeded_ids.push_back(id); }
  void failed(const std::string& id, const std::string&) override { failed_ids.push_back(id); }
  asio::awaitable<std::optional<Egress>> refresh_clearance(Egress e, std::string) override {
    ++solves;
    if (!solver_works) co_return std::nullopt;
    e.user_agent = "solver-ua";
    e.cf_cookies["cf_clearance"] = "fresh";
    co_return e;
  }
};

struct Call {
  std::string sso;
  Egress egress;
};

class TokenAttemptsTest : public ::testing::Test {
 protected:
  // Each call takes the next scripted outcome (nullopt = success; the last one repeats).
  std::optional<ClientFailure> run(std::deque<std::optional<Diagnosis>> script,
                                   bool with_egress = true) {
    TokenAttemptsOptions o;
    o.log_tag = "Test";
    o.model = "grok-4";
    o.call = &record;
    if (with_egress) o.egress = &egresses;
    o.fallback = proxy("direct-fallback");
    o.challenge_url = "https://grok.example/";
    if (may_move) o.may_move = may_move;
    TokenAttempt attempt =
        [this, script](const std::string& sso,
                       const Egress& e) mutable -> asio::awaitable<std::optional<Diagnosis>> {
      calls.push_back({sso, e});
      auto next = script.front();
      if (script.size() > 1) script.pop_front();
      co_return next;
    };
    chat::TokenRequirement need{"fast", {}};
    asio::io_context io;
    auto fut = asio::co_spawn(io, run_token_attempts(tokens, need, o, attempt), asio::use_future);
    io.run();
    return fut.get();
  }

  static Diagnosis connect_failure() {
    Diagnosis d{Problem::kTransport, 0, "Couldn't connect to server"};
    d.egress_fault = true;
    return d;
  }
  static Diagnosis challenge() { return Diagnosis{Problem::kCloudflare, 403, "Just a moment..."}; }

  Tokens tokens;
  Egresses egresses;
  calllog::CallRecord record;
  std::vector<Call> calls;
  std::function<bool()> may_move;
};

TEST_F(TokenAttemptsTest, AFailedProxyIsLeftForAnotherWithTheSameAccount) {
  auto failure = run({connect_failure(), std::nullopt});
  EXPECT_FALSE(failure);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].sso, "sso-a");
  EXPECT_EQ(calls[1].sso, "sso-a");
  EXPECT_EQ(calls[0].egress.id, "http://p1:1");
  EXPECT_EQ(calls[1].egress.id, "http://p2:2");
  EXPECT_EQ(egresses.failed_ids, std::vector<std::string>{"http://p1:1"});
  EXPECT_EQ(egresses.succeeded_ids, std::vector<std::string>{"http://p2:2"});
  EXPECT_EQ(record.proxy_used, "http://p2:2");
  // The account was fine: only its success is reported.
  ASSERT_EQ(tokens.reports.size(), 1u);
  EXPECT_EQ(tokens.reports[0].second, Problem::kNone);
}

TEST_F(TokenAttemptsTest, AChallengeIsSolvedOnceAndTheSameEgressTriedAgain) {
  auto failure = run({challenge(), std::nullopt});
  EXPECT_FALSE(failure);
  EXPECT_EQ(egresses.solves, 1);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].egress.id, "http://p1:1");
  EXPECT_EQ(calls[1].egress.user_agent, "solver-ua");
  EXPECT_EQ(calls[1].egress.cf_cookies.at("cf_clearance"), "fresh");
}

TEST_F(TokenAttemptsTest, AChallengeThatStaysMovesToTheNextProxyWithoutASecondSolve) {
  auto failure = run({challenge(), challenge(), std::nullopt});
  EXPECT_FALSE(failure);
  EXPECT_EQ(egresses.solves, 1);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2].egress.id, "http://p2:2");
}

TEST_F(TokenAttemptsTest, NoWayOutIsAClear503AndNotTheAccountsFault) {
  egresses.urls.clear();
  auto failure = run({std::nullopt});
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->status, 503);
  EXPECT_EQ(failure->code, "no_healthy_proxy");
  EXPECT_NE(failure->message.find("grok.allow_direct"), std::string::npos);
  EXPECT_TRUE(calls.empty());
  EXPECT_TRUE(tokens.reports.empty());
}

TEST_F(TokenAttemptsTest, EveryProxyFailingEndsWithTheTransportError) {
  auto failure = run({connect_failure()});
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->status, 504);
  EXPECT_EQ(failure->code, "upstream_unreachable");
  // Both proxies, for both accounts; never the same proxy twice for one account.
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].egress.id, "http://p1:1");
  EXPECT_EQ(calls[1].egress.id, "http://p2:2");
  EXPECT_EQ(calls[2].sso, "sso-b");
  EXPECT_TRUE(tokens.reports.empty());
}

TEST_F(TokenAttemptsTest, NothingMovesOnceTheClientSawTheAnswer) {
  may_move = [] { return false; };
  auto failure = run({connect_failure(), std::nullopt});
  ASSERT_TRUE(failure);
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(egresses.failed_ids.size(), 1u);
}

TEST_F(TokenAttemptsTest, AnAccountProblemIsNotTheProxysFault) {
  Diagnosis limited{Problem::kRateLimited, 429, "Too many requests"};
  auto failure = run({limited, std::nullopt});
  EXPECT_FALSE(failure);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].sso, "sso-b");
  EXPECT_TRUE(egresses.failed_ids.empty());
  EXPECT_EQ(egresses.succeeded_ids.size(), 2u);  // the 429 was an answer through p1
  EXPECT_EQ(tokens.reports[0].second, Problem::kRateLimited);
}

TEST_F(TokenAttemptsTest, WithoutAPoolTheFallbackEgressIsUsed) {
  auto failure = run({std::nullopt}, /*with_egress=*/false);
  EXPECT_FALSE(failure);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].egress.id, "direct-fallback");
}

}  // namespace
}  // namespace g2a::openai
