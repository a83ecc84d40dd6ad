// Properties of selection over random histories of the pool (adds, quota reads, outcomes,
// time passing, leases): it never picks an ineligible, disabled, expired or cooling token,
// it finds a token whenever one is eligible, and concurrent acquisitions spread across
// tokens (in-flight aware).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <barrier>
#include <thread>

#include "pool_helpers.hpp"

namespace g2a::tokens {
namespace {
using P = upstream::grok::Problem;

const std::vector<std::string> kTokens = {"t0", "t1", "t2", "t3", "t4"};
const std::vector<std::string> kKeys = {"fast", "expert", "heavy", "video720p"};

ModelRequirement requirement(int i) {
  switch (i % 5) {
    case 0:
      return ModelRequirement::for_mode("fast");
    case 1:
      return ModelRequirement::for_mode("expert");
    case 2:
      return ModelRequirement::for_mode("heavy");
    case 3:
      return ModelRequirement::for_media("video720p");
    default: {
      auto r = ModelRequirement::for_mode("fast");
      r.tiers.clear();
      return r;
    }
  }
}

// What "eligible now" means, written independently of selection.cpp.
bool eligible(const TokenRecord& r, const ModelRequirement& req, int64_t now) {
  if (r.status == "expired" || !r.disabled_reason.empty() || r.failed_count >= 3) return false;
  if (r.cooldown_until_ms > now) return false;
  if (r.detected_tier && !req.tiers.empty() && !req.tiers.count(*r.detected_tier)) return false;
  auto it = r.quotas.find(req.quota_key());
  if (it == r.quotas.end()) return true;
  return it->second.available && it->second.cooldown_until_ms <= now;
}

// The spare quota selection may count on: a positive remaining, or -1 (unknown).
int64_t known_remaining(const TokenRecord& r, const ModelRequirement& req) {
  auto it = r.quotas.find(req.quota_key());
  return it != r.quotas.end() && it->second.remaining > 0 ? it->second.remaining : -1;
}

struct Op {
  int kind, token, a, b, c;
};

rc::Gen<Op> op_gen() {
  return rc::gen::apply(
      [](int kind, int token, int a, int b, int c) {
        return Op{kind, token, a, b, c};
      },
      rc::gen::inRange(0, 9), rc::gen::inRange(0, 5), rc::gen::inRange(0, 100),
      rc::gen::inRange(0, 100), rc::gen::inRange(0, 32));
}

const P kProblems[] = {P::kNone,      P::kRateLimited, P::kUsageLimit, P::kUnauthenticated,
                       P::kBlocked,   P::kCloudflare,  P::kAntiBot,    P::kServerError,
                       P::kTransport, P::kRejected};
const int64_t kTotals[] = {0, 30, 140, 400, 50, 150, 20, 77};

RC_GTEST_PROP(PoolProperties, NeverPicksAnIneligibleTokenAndFindsAnEligibleOne, ()) {
  auto ops = *rc::gen::container<std::vector<Op>>(op_gen());
  test::FakeClock clock;
  TokenPool pool(nullptr, clock.fn());
  std::vector<Lease> held;
  for (const auto& op : ops) {
    const std::string& sso = kTokens[op.token];
    switch (op.kind) {
      case 0:
        pool.add({sso}, static_cast<Pool>(op.a % 3));
        break;
      case 1: {
        auto r = test::reading(kKeys[op.a % kKeys.size()], op.b % 6,
                               kTotals[op.c % std::size(kTotals)], op.b % 2 ? 7200 : 0);
        if (op.c % 5 == 0) r.back_at_ms = clock.ms() + op.b * 1000;
        pool.apply_quota(sso, r);
        break;
      }
      case 2: {
        auto o = test::failed(kProblems[op.a % std::size(kProblems)], 400 + op.b,
                              op.c % 5 == 4 ? "" : kKeys[op.c % kKeys.size()]);
        if (op.b % 7 == 0) o.message = "x [WKE=unauthorized:mode-not-allowed]";
        pool.report(sso, o);
        break;
      }
      case 3:
        clock.advance_s(op.a * op.b * 3);
        break;
      case 4:
      case 5: {
        auto req = requirement(op.a);
        std::set<std::string> exclude;
        for (size_t i = 0; i < kTokens.size(); ++i)
          if (op.c & (1 << i)) exclude.insert(kTokens[i]);
        auto before = pool.snapshot();
        auto lease = pool.acquire(req, exclude);
        int64_t now = clock.ms();
        if (!lease) {
          for (const auto& v : before)
            RC_ASSERT(exclude.count(v.sso) || !eligible(v.record, req, now));
          RC_ASSERT(pool.next_available_ms(req, exclude) != std::optional<int64_t>(now));
          break;
        }
        RC_ASSERT(!exclude.count(lease->sso()));
        auto picked = std::find_if(before.begin(), before.end(),
                                   [&](const TokenView& v) { return v.sso == lease->sso(); });
        RC_ASSERT(picked != before.end());
        RC_ASSERT(eligible(picked->record, req, now));
        RC_ASSERT(pool.next_available_ms(req, exclude) == std::optional<int64_t>(now));
        // In-flight aware: no eligible token with spare quota has fewer requests in flight.
        auto spare = [&](const TokenView& v) {
          int64_t r = known_remaining(v.record, req);
          return r < 0 || r > v.in_flight;
        };
        if (spare(*picked))
          for (const auto& v : before)
            if (!exclude.count(v.sso) && eligible(v.record, req, now) && spare(v))
              RC_ASSERT(v.in_flight >= picked->in_flight);
        if (op.kind == 4) held.push_back(std::move(*lease));
        break;
      }
      case 6:
        if (!held.empty()) held.erase(held.begin() + op.a % held.size());
        break;
      case 7:
        pool.remove({sso}, static_cast<Pool>(op.a % 3));
        break;
      case 8:
        pool.apply_refresh_verdict(sso, 1 + op.a % 3);
        break;
    }
    // In-flight counts never go negative and never exceed the leases held.
    int total = 0;
    for (const auto& v : pool.snapshot()) {
      RC_ASSERT(v.in_flight >= 0);
      total += v.in_flight;
    }
    RC_ASSERT(total <= static_cast<int>(held.size()));
  }
  held.clear();
  for (const auto& v : pool.snapshot()) RC_ASSERT(v.in_flight == 0);
}

RC_GTEST_PROP(PoolProperties, HeldLeasesSpreadEvenly, ()) {
  const int n = *rc::gen::inRange(1, 12);
  const int k = *rc::gen::inRange(0, 40);
  test::FakeClock clock;
  TokenPool pool(nullptr, clock.fn());
  std::vector<std::string> tokens;
  for (int i = 0; i < n; ++i) tokens.push_back("tok-" + std::to_string(i));
  pool.add(tokens, Pool::kNormal);
  std::vector<Lease> held;
  for (int i = 0; i < k; ++i)
    held.push_back(std::move(*pool.acquire(ModelRequirement::for_mode("fast"))));
  int lo = 1 << 30, hi = 0;
  for (const auto& v : pool.snapshot()) {
    lo = std::min(lo, v.in_flight);
    hi = std::max(hi, v.in_flight);
  }
  RC_ASSERT(hi - lo <= 1);
  if (k <= n) {
    std::set<std::string> distinct;
    for (const auto& l : held) distinct.insert(l.sso());
    RC_ASSERT(static_cast<int>(distinct.size()) == k);
  }
}

TEST(PoolConcurrency, ThreadsAcquiringAtOnceGetDistinctTokens) {
  constexpr int kThreads = 8;
  TokenPool pool(nullptr);
  std::vector<std::string> tokens;
  for (int i = 0; i < kThreads; ++i) tokens.push_back("tok-" + std::to_string(i));
  pool.add(tokens, Pool::kNormal);
  for (int round = 0; round < 20; ++round) {
    std::barrier all_hold(kThreads);
    std::vector<std::string> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        auto lease = pool.acquire(ModelRequirement::for_mode("fast"));
        if (lease) got[t] = lease->sso();
        all_hold.arrive_and_wait();  // hold until everyone has one
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), size_t{kThreads});
  }
  for (const auto& v : pool.snapshot()) EXPECT_EQ(v.in_flight, 0);
}

}  // namespace
}  // namespace g2a::tokens
