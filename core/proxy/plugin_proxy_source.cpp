#include "core/proxy/plugin_proxy_source.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

#include "core/ops/logging.hpp"
#include "core/plugin/manager.hpp"
#include "core/proxy/plugin_call.hpp"

namespace g2a::proxy {
namespace asio = boost::asio;

namespace {

struct RefreshState : PluginCallState {
  std::vector<SourcedProxy> proxies;
};

void on_emit(void* user, const g2a_proxy* p) {
  if (!p) return;
  SourcedProxy out;
  out.url.assign(p->url.data ? p->url.data : "", p->url.len);
  if (G2A_HAS_FIELD(p, g2a_proxy, region))
    out.region.assign(p->region.data ? p->region.data : "", p->region.len);
  if (G2A_HAS_FIELD(p, g2a_proxy, weight)) out.weight = p->weight;
  if (G2A_HAS_FIELD(p, g2a_proxy, ttl_s)) out.ttl_s = p->ttl_s;
  auto& state = PluginCallState::of<RefreshState>(user);
  std::lock_guard lock(state.mutex);
  if (!state.finished) state.proxies.push_back(std::move(out));
}

void on_done(void* user, g2a_status st, g2a_str message) {
  PluginCallState::finish_held(user, st,
                               std::string(message.data ? message.data : "", message.len));
}

}  // namespace

std::vector<std::unique_ptr<ProxySource>> plugin_proxy_sources(plugin::Manager& plugins) {
  std::vector<std::unique_ptr<ProxySource>> out;
  for (const auto& p : plugins.plugins()) {
    if (!(p->descriptor.kinds & G2A_KIND_PROXY_SOURCE)) continue;
    if (!p->table(G2A_KIND_PROXY_SOURCE)) {
      ops::logger("Proxy")->error("plugin {} says it is a proxy source but gives no usable table",
                                  p->id);
      continue;
    }
    out.push_back(std::make_unique<PluginProxySource>(*p));
    ops::logger("Proxy")->info("proxy source: plugin {}", p->id);
  }
  return out;
}

std::string proxy_source_api_defaults(const std::string& proxy_pool_url) {
  boost::json::object d;
  if (proxy_pool_url.rfind("http://", 0) == 0 || proxy_pool_url.rfind("https://", 0) == 0)
    d["url"] = proxy_pool_url;
  d["timeout_ms"] = 10000;
  return boost::json::serialize(d);
}

PluginProxySource::PluginProxySource(plugin::LoadedPlugin& plugin,
                                     std::chrono::milliseconds timeout)
    : plugin_(plugin), table_(plugin.table(G2A_KIND_PROXY_SOURCE)), timeout_(timeout) {
  if (!table_) throw std::invalid_argument("plugin " + plugin.id + " provides no proxy source");
}

const std::string& PluginProxySource::id() const {
  return plugin_.id;
}

asio::awaitable<std::vector<SourcedProxy>> PluginProxySource::refresh() {
  auto state = std::make_shared<RefreshState>();
  auto* table = static_cast<const g2a_proxy_source_v1*>(table_);
  void* instance = plugin_.instance;
  std::function<g2a_status(void*)> start = [table, instance](void* user) {
    return table->refresh(instance, &on_emit, &on_done, user);
  };
  CallOutcome outcome = co_await run_plugin_call(plugin_, serial_, state, start, timeout_);
  throw_unless_ok(*state, outcome, "proxy source " + plugin_.id, timeout_);
  std::lock_guard lock(state->mutex);
  co_return std::move(state->proxies);
}

}  // namespace g2a::proxy
