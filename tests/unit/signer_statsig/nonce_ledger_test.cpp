#include <gtest/gtest.h>

#include <algorithm>
#include <grok2api/plugin.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "nonce_ledger.hpp"

namespace g2a::test {
namespace {

using g2a::statsig::NonceLedger;

TEST(NonceLedger, EveryNonceOncePerSecondThenNone) {
  NonceLedger ledger;
  std::set<int> seen;
  std::vector<int> order;
  for (int i = 0; i < 256; ++i) {
    auto n = ledger.claim("POST", "/rest/x", 100, 1000);
    ASSERT_TRUE(n);
    EXPECT_TRUE(seen.insert(*n).second);
    order.push_back(*n);
  }
  EXPECT_FALSE(ledger.claim("POST", "/rest/x", 100, 1000));
  // Random order, not 0, 1, 2, ...
  std::vector<int> sorted(order);
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(order, sorted);
  // Another second, method or path has its own 256.
  EXPECT_TRUE(ledger.claim("POST", "/rest/x", 101, 1000));
  EXPECT_TRUE(ledger.claim("GET", "/rest/x", 100, 1000));
  EXPECT_TRUE(ledger.claim("POST", "/rest/y", 100, 1000));
}

TEST(NonceLedger, ForgetsEntriesAfterTheRetentionTime) {
  NonceLedger ledger(5000);
  for (uint32_t e = 0; e < 10; ++e) ledger.claim("POST", "/p", e, 1000 + e * 1000);
  // At 10000 ms the entries created at 5000 ms or earlier are gone: e = 5..9 and 10 stay.
  ledger.claim("POST", "/p", 10, 10000);
  EXPECT_EQ(ledger.size(), 6u);
}

TEST(NonceLedger, BoundsTheNumberOfTrackedKeys) {
  NonceLedger ledger(5000, 3);
  ledger.claim("POST", "/a", 1, 0);
  ledger.claim("POST", "/b", 1, 0);
  ledger.claim("POST", "/c", 1, 0);
  try {
    ledger.claim("POST", "/d", 1, 0);
    FAIL();
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_RETRY);
  }
  EXPECT_TRUE(ledger.claim("POST", "/a", 1, 0));     // a tracked key still works
  EXPECT_TRUE(ledger.claim("POST", "/d", 1, 5000));  // room once old ones expire
}

TEST(NonceLedger, ConcurrentClaimsNeverRepeat) {
  NonceLedger ledger;
  std::mutex mu;
  std::multiset<int> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      std::vector<int> mine;
      for (int i = 0; i < 40; ++i)
        if (auto n = ledger.claim("POST", "/p", 7, 0)) mine.push_back(*n);
      std::lock_guard lock(mu);
      all.insert(mine.begin(), mine.end());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(all.size(), 256u);  // 320 attempts, 256 granted
  EXPECT_EQ(std::set<int>(all.begin(), all.end()).size(), 256u);
}

}  // namespace
}  // namespace g2a::test
