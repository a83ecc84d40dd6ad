// The proxy pool (issue 6): the proxies from the settings, the admin API, saved state and
// proxy-source plugins, each with its health, statistics, SSO bindings and egress identity
// (User-Agent, Cloudflare cookies); the EgressService every upstream call asks; the
// admin operations behind /api/proxies; batched persistence to the "proxies" and
// "proxy_assignments" collections (data/proxy_state.json in the Pro format).
// Thread-safe; nothing on the request path blocks or touches storage.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/config/settings.hpp"
#include "core/proxy/clearance_provider.hpp"
#include "core/proxy/egress_service.hpp"
#include "core/proxy/proxy_info.hpp"
#include "core/proxy/proxy_source.hpp"

namespace g2a::storage {
class Store;
}
namespace g2a::calllog {
struct StateEvent;
}

namespace g2a::proxy {

struct PoolOptions {
  std::function<std::shared_ptr<const config::Settings>()> settings;  // read at each use
  storage::Store* store = nullptr;                                    // null: no persistence
  std::function<void(calllog::StateEvent)> emit;  // proxy.unhealthy / proxy.recovered
  boost::asio::any_io_executor io;                // where refreshes and solves run
  std::vector<std::unique_ptr<ProxySource>> sources;
  std::unique_ptr<ClearanceProvider> clearance;  // null: no automatic clearance
  std::function<int64_t()> now_ms;               // default: the system clock
  // After an on-demand refresh left no healthy proxy, requests do not wait for another
  // one for this long (a background one may still start).
  int64_t on_demand_gap_ms = 5000;
};

// The static proxy of the settings: grok.proxy_url, else a socks URL in
// grok.proxy_pool_url (the Pro meaning); "" when none.
std::string static_proxy_of(const config::Settings& s);
// grok.allow_direct resolved: "auto" is true while no proxy is configured anywhere.
bool direct_allowed(const config::Settings& s, bool pool_has_proxies);

class ProxyPool final : public EgressService {
 public:
  explicit ProxyPool(PoolOptions options);
  ~ProxyPool() override;
  ProxyPool(const ProxyPool&) = delete;
  ProxyPool& operator=(const ProxyPool&) = delete;

  // Start-up, blocking: the static proxy, grok.proxy_urls, then the saved state (where the
  // saved bindings win). Returns the number of proxies.
  size_t load();
  // Background work: the source refresh every grok.proxy_pool_interval s (and one at once
  // when there are sources). stop() ends it; a refresh under way finishes.
  void start();
  void stop();
  // Settings changed at runtime: new grok.proxy_urls join the pool (the static proxy and
  // the other keys are read at each use anyway).
  void apply_settings(const config::Settings& s);

  // --- EgressService ---
  boost::asio::awaitable<std::optional<Egress>> for_sso(std::string sso,
                                                        std::set<std::string> avoid) override;
  std::optional<Egress> pick(const std::string& sso, const std::set<std::string>& avoid) override;
  std::optional<Egress> for_assets(const std::string& sso) override;
  void succeeded(const std::string& egress_id) override;
  void failed(const std::string& egress_id, const std::string& reason) override;
  boost::asio::awaitable<std::optional<Egress>> refresh_clearance(Egress egress,
                                                                  std::string url) override;

  // --- Sources ---
  // Asks every source once (single flight: callers during a refresh share it). Returns the
  // number of proxies added.
  boost::asio::awaitable<size_t> refresh_sources();
  size_t source_count() const;

  // --- Admin ---
  std::vector<ProxyInfo> list() const;
  std::map<std::string, std::string> assignments() const;  // sso -> url
  std::string static_proxy() const;
  bool direct_allowed() const;
  // The full URL of the proxy a request named: its full URL, or its masked form as the
  // list shows it. Also takes a URL that normalises to one (a bare host:port).
  std::optional<std::string> resolve(const std::string& url_or_masked) const;
  // Adds a proxy (normalised); false when it was there already.
  bool add(const std::string& url, const std::string& source);
  bool remove(const std::string& url);  // and its bindings
  enum class AssignResult { kOk, kUnknownProxy, kUnhealthy };
  // Binds sso to a healthy proxy of the pool (an unhealthy one would be unbound at once).
  AssignResult assign(const std::string& url, const std::string& sso);
  bool unassign(const std::string& sso);
  bool reset_health(const std::string& url);  // Pro mark_success
  // The egress a call through url would use (its identity), for /api/proxies/test.
  Egress egress_of(const std::string& url) const;

  // --- Health probes (health_check.hpp) ---
  std::vector<std::string> unhealthy() const;
  void probe_ok(const std::string& url);
  void probe_failed(const std::string& url, const std::string& reason);

  // --- Persistence ---
  // Writes what changed (for the periodic save job on the blocking pool, and shutdown).
  void save_blocking();
  bool dirty() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace g2a::proxy
