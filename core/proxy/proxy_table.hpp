// The proxy pool's state and its rules, without locks, I/O or time of its own: the proxies
// in insertion order, the SSO bindings, the round-robin index, the health transitions and
// what changed since the last save. ProxyPool wraps it with a mutex; the unit properties
// drive it directly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/proxy/proxy_info.hpp"

namespace g2a::proxy {

// A real change of a proxy's health (proxy.unhealthy / proxy.recovered).
struct HealthTransition {
  std::string url;
  bool healthy = false;  // the new state
  std::string reason;
};

// What changed since the last take_changes() (keys of the two storage collections).
struct TableChanges {
  std::set<std::string> proxies, removed_proxies;          // urls
  std::set<std::string> assignments, removed_assignments;  // ssos
  bool empty() const {
    return proxies.empty() && removed_proxies.empty() && assignments.empty() &&
           removed_assignments.empty();
  }
};

class ProxyTable {
 public:
  // Adds a proxy (url already normalised) unless it is there; true when added.
  bool add(const std::string& url, const std::string& source);
  // A stored record at load: merged into an entry of that url (which keeps its source and
  // bindings), or added. Its assigned_sso is ignored: bindings come from bind().
  void restore(ProxyInfo info, bool renamed = false);
  // Removes a proxy and its bindings; false when unknown.
  bool remove(const std::string& url);
  const ProxyInfo* find(const std::string& url) const;
  size_t size() const { return order_.size(); }

  // Binds sso to url (replacing its binding); false when url is unknown.
  bool bind(const std::string& sso, const std::string& url);
  bool unbind(const std::string& sso);
  std::optional<std::string> bound(const std::string& sso) const;
  const std::map<std::string, std::string>& assignments() const { return assignments_; }

  // Selection steps 1 and 2 (egress_service.hpp): the SSO's bound proxy while healthy and
  // not avoided (a bound proxy that is unhealthy or gone is unbound); otherwise the next
  // healthy proxy round-robin among those not avoided and not `except` (the static proxy,
  // a fallback only), bound to the SSO unless its binding is healthy and merely avoided.
  // Counts the use (last_used = now, total_requests + 1). nullopt: none is healthy.
  std::optional<std::string> select(const std::string& sso, const std::set<std::string>& avoid,
                                    const std::string& except, int64_t now);
  // Round-robin without an SSO (nothing is bound).
  std::optional<std::string> next(const std::set<std::string>& avoid, const std::string& except,
                                  int64_t now);
  // Counts a use of url that did not go through select (the static fallback).
  void touch(const std::string& url, int64_t now);
  size_t healthy_count(const std::string& except) const;

  // A failure through url: fail_count + 1; at max_failures a healthy proxy turns unhealthy
  // and loses its bindings (the transition is returned).
  std::optional<HealthTransition> fail(const std::string& url, const std::string& reason,
                                       int64_t max_failures);
  // A success through url (also the admin reset, as Pro's mark_success): fail_count 0,
  // success_requests + 1, healthy.
  std::optional<HealthTransition> succeed(const std::string& url);
  // A health probe through url answered: healthy again, fail_count 0.
  std::optional<HealthTransition> probe_ok(const std::string& url, int64_t now);
  void probe_failed(const std::string& url, const std::string& reason, int64_t now);
  std::vector<std::string> unhealthy() const;

  // The egress identity a clearance solve gave url.
  void set_identity(const std::string& url, const std::string& user_agent,
                    const std::map<std::string, std::string>& cookies);

  std::vector<ProxyInfo> list() const;  // insertion order

  // Stored keys that load() did not take (not normalised, or a binding to a proxy that is
  // gone or unhealthy): removed from storage at the next save.
  void forget_stored_proxy(const std::string& key);
  void forget_stored_assignment(const std::string& sso);

  TableChanges take_changes();
  // Writes that failed: marked again unless a newer change superseded them.
  void requeue(const TableChanges& failed);
  bool dirty() const { return !changes_.empty(); }

 private:
  ProxyInfo* find_mut(const std::string& url);
  void mark(const std::string& url);
  void unbind_all(ProxyInfo& info);
  std::optional<std::string> round_robin(const std::set<std::string>& avoid,
                                         const std::string& except);

  std::vector<std::string> order_;
  std::unordered_map<std::string, ProxyInfo> proxies_;
  std::map<std::string, std::string> assignments_;  // sso -> url
  uint64_t rr_index_ = 0;
  TableChanges changes_;
};

}  // namespace g2a::proxy
