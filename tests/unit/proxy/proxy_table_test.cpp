// The pool's rules on the bare table: selection, bindings, health transitions, and what
// a save must write. Properties run random histories against the invariants.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>

#include "core/proxy/proxy_table.hpp"

namespace g2a::proxy {
namespace {

std::string url(int i) {
  return "http://10.0.0." + std::to_string(i) + ":3128";
}

// Every binding points at an existing healthy proxy, and the proxies' assigned_sso lists
// say the same as the assignments.
void check_invariants(const ProxyTable& t) {
  std::map<std::string, std::string> from_lists;
  for (const auto& p : t.list()) {
    if (!p.healthy) RC_ASSERT(p.assigned_sso.empty());
    for (const auto& sso : p.assigned_sso) from_lists[sso] = p.url;
  }
  RC_ASSERT(from_lists == t.assignments());
  for (const auto& [sso, u] : t.assignments()) {
    const auto* p = t.find(u);
    RC_ASSERT(p != nullptr);
    RC_ASSERT(p->healthy);
  }
}

TEST(ProxyTable, BindsOnFirstUseAndKeepsTheBinding) {
  ProxyTable t;
  t.add(url(1), "settings");
  t.add(url(2), "settings");
  auto a = t.select("sso-a", {}, "", 1);
  auto b = t.select("sso-b", {}, "", 2);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.select("sso-a", {}, "", 3), a);
  EXPECT_EQ(t.bound("sso-a"), a);
  EXPECT_EQ(t.find(*a)->total_requests, 6);
  EXPECT_EQ(t.find(*a)->last_used, 3);
}

TEST(ProxyTable, AnAvoidedBindingIsKeptForTheNextRequest) {
  ProxyTable t;
  t.add(url(1), "settings");
  t.add(url(2), "settings");
  auto a = t.select("sso", {}, "", 1);
  auto retry = t.select("sso", {*a}, "", 2);
  ASSERT_TRUE(retry);
  EXPECT_NE(*retry, *a);
  EXPECT_EQ(t.bound("sso"), a);  // one failed attempt does not move the SSO
  EXPECT_EQ(t.select("sso", {*a, *retry}, "", 3), std::nullopt);
}

TEST(ProxyTable, TheExceptedProxyIsNotRoundRobin) {
  ProxyTable t;
  t.add(url(1), "static");
  EXPECT_EQ(t.select("sso", {}, url(1), 1), std::nullopt);
  t.add(url(2), "settings");
  EXPECT_EQ(t.select("sso", {}, url(1), 1), url(2));
}

TEST(ProxyTable, MaxFailuresMakeItUnhealthyOnceAndReleaseItsBindings) {
  ProxyTable t;
  t.add(url(1), "settings");
  t.select("a", {}, "", 1);
  t.select("b", {}, "", 1);
  EXPECT_EQ(t.fail(url(1), "x", 3), std::nullopt);
  EXPECT_EQ(t.fail(url(1), "x", 3), std::nullopt);
  auto down = t.fail(url(1), "connect refused", 3);
  ASSERT_TRUE(down);
  EXPECT_FALSE(down->healthy);
  EXPECT_EQ(down->reason, "connect refused");
  EXPECT_EQ(t.fail(url(1), "x", 3), std::nullopt);  // no second transition
  EXPECT_TRUE(t.assignments().empty());
  EXPECT_TRUE(t.find(url(1))->assigned_sso.empty());
  EXPECT_EQ(t.find(url(1))->last_error, "x");
  EXPECT_EQ(t.select("a", {}, "", 2), std::nullopt);
  auto up = t.succeed(url(1));
  ASSERT_TRUE(up);
  EXPECT_TRUE(up->healthy);
  EXPECT_EQ(t.find(url(1))->fail_count, 0);
  EXPECT_EQ(t.succeed(url(1)), std::nullopt);
}

TEST(ProxyTable, ChangesNameWhatASaveWrites) {
  ProxyTable t;
  t.add(url(1), "settings");
  t.add(url(2), "settings");
  t.select("a", {}, "", 1);
  auto c = t.take_changes();
  EXPECT_EQ(c.proxies.size(), 2u);
  EXPECT_EQ(c.assignments, std::set<std::string>{"a"});
  EXPECT_FALSE(t.dirty());
  t.remove(url(1));
  c = t.take_changes();
  EXPECT_EQ(c.removed_proxies, std::set<std::string>{url(1)});
  EXPECT_EQ(c.removed_assignments, std::set<std::string>{"a"});
  t.requeue(c);  // still gone: the removals are written again
  EXPECT_EQ(t.take_changes().removed_proxies, std::set<std::string>{url(1)});
}

// Random histories keep the invariants; selection never returns an unhealthy proxy and
// always returns a healthy binding.
RC_GTEST_PROP(ProxyTable, HistoriesKeepTheInvariants, ()) {
  ProxyTable t;
  const int proxies = *rc::gen::inRange(1, 6);
  for (int i = 0; i < proxies; ++i) t.add(url(i), "settings");
  const auto steps = *rc::gen::container<std::vector<std::tuple<int, int, int>>>(
      rc::gen::tuple(rc::gen::inRange(0, 7), rc::gen::inRange(0, 8), rc::gen::inRange(0, 6)));
  int64_t now = 0;
  for (const auto& [op, sso_i, proxy_i] : steps) {
    std::string sso = "sso-" + std::to_string(sso_i), u = url(proxy_i);
    ++now;
    switch (op) {
      case 0:
      case 1: {
        auto before = t.bound(sso);
        bool before_healthy = before && t.find(*before) && t.find(*before)->healthy;
        auto got = t.select(sso, {}, "", now);
        if (got) RC_ASSERT(t.find(*got)->healthy);
        if (before_healthy) RC_ASSERT(got == before);
        if (!got) RC_ASSERT(t.healthy_count("") == 0u);
        break;
      }
      case 2:
        t.fail(u, "boom", 2);
        break;
      case 3:
        t.succeed(u);
        break;
      case 4:
        t.probe_ok(u, now);
        break;
      case 5:
        t.unbind(sso);
        break;
      case 6:
        if (t.remove(u)) t.add(u, "admin");
        break;
    }
    check_invariants(t);
  }
}

// New SSOs are spread over the healthy proxies evenly: the counts differ by at most one.
RC_GTEST_PROP(ProxyTable, RoundRobinSpreadsNewSsosEvenly, ()) {
  ProxyTable t;
  const int proxies = *rc::gen::inRange(1, 8);
  const int ssos = *rc::gen::inRange(0, 60);
  for (int i = 0; i < proxies; ++i) t.add(url(i), "settings");
  for (int i = 0; i < ssos; ++i) RC_ASSERT(t.select("sso-" + std::to_string(i), {}, "", i));
  size_t lo = SIZE_MAX, hi = 0;
  for (const auto& p : t.list()) {
    lo = std::min(lo, p.assigned_sso.size());
    hi = std::max(hi, p.assigned_sso.size());
  }
  RC_ASSERT(hi - lo <= 1u);
}

}  // namespace
}  // namespace g2a::proxy
