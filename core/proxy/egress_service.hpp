// The way out to grok.com for every upstream call: which egress (a proxy of the pool, the
// static proxy, or direct) a call made as an SSO goes through, with the User-Agent and
// Cloudflare cookies that belong to that egress. Also the outcomes that drive proxy health,
// and Cloudflare clearance refreshes. Thread-safe; nothing here blocks the calling thread.
//
// Selection for an SSO (issue 6, after the Pro service's get_proxy_for_sso):
//   1. its bound proxy while healthy (and not in `avoid`);
//   2. otherwise the next healthy proxy round-robin, which is then bound to the SSO;
//   3. with no healthy proxy: the proxy sources are refreshed at once (for_sso only), then
//      the static proxy (grok.proxy_url), then direct when grok.allow_direct says so.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/upstream/grok/identity.hpp"

namespace g2a::proxy {

using upstream::grok::Egress;  // Egress::id is "direct" or the normalised proxy URL

class EgressService {
 public:
  virtual ~EgressService() = default;

  // The egress for a call made as sso, skipping the egress ids in avoid (those that
  // already failed for this request). nullopt: no healthy proxy, no static proxy and
  // direct not allowed.
  virtual boost::asio::awaitable<std::optional<Egress>> for_sso(std::string sso,
                                                                std::set<std::string> avoid) = 0;
  // The same without waiting for a source refresh (one is started in the background when
  // no healthy proxy is left): for code that cannot await.
  virtual std::optional<Egress> pick(const std::string& sso,
                                     const std::set<std::string>& avoid) = 0;
  // Asset downloads for sso: grok.cache_proxy_url when set, otherwise pick(sso).
  virtual std::optional<Egress> for_assets(const std::string& sso) = 0;

  // A call through egress_id got an answer that is not a Cloudflare challenge.
  virtual void succeeded(const std::string& egress_id) = 0;
  // A call through egress_id failed below HTTP (connect, proxy, TLS) or met a Cloudflare
  // challenge. After grok.proxy_max_failures consecutive failures the proxy turns
  // unhealthy, its SSO bindings are released and a proxy.unhealthy event is emitted.
  // "direct" and the static proxy are counted but never unbound.
  virtual void failed(const std::string& egress_id, const std::string& reason) = 0;

  // A Cloudflare challenge was met through egress at url: the clearance provider solves it
  // through that egress (one solve per egress at a time; concurrent callers share it), and
  // the egress keeps the new User-Agent and cookies. Returns the updated egress, or nullopt
  // when there is no provider or it failed (the reason is logged).
  virtual boost::asio::awaitable<std::optional<Egress>> refresh_clearance(Egress egress,
                                                                          std::string url) = 0;
};

}  // namespace g2a::proxy
