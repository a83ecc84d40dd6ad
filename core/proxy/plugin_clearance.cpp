#include "core/proxy/plugin_clearance.hpp"

#include <stdexcept>

#include "core/ops/logging.hpp"
#include "core/plugin/manager.hpp"
#include "core/proxy/plugin_call.hpp"
#include "core/upstream/grok/identity.hpp"

namespace g2a::proxy {
namespace asio = boost::asio;

namespace {

constexpr std::chrono::milliseconds kGrace{5000};

struct SolveState : PluginCallState {
  Clearance result;
};

std::string text(g2a_str s) {
  return s.data ? std::string(s.data, s.len) : std::string();
}

void on_done(void* user, g2a_status st, g2a_str message, const g2a_clearance_result* r) {
  if (st == G2A_OK && r) {
    auto& state = PluginCallState::of<SolveState>(user);
    std::lock_guard lock(state.mutex);
    if (!state.finished) {
      if (G2A_HAS_FIELD(r, g2a_clearance_result, user_agent))
        state.result.user_agent = text(r->user_agent);
      if (G2A_HAS_FIELD(r, g2a_clearance_result, cookie_count) && r->cookies)
        for (size_t i = 0; i < r->cookie_count; ++i) {
          std::string name = text(r->cookies[i].name);
          if (upstream::grok::is_cloudflare_cookie(name))
            state.result.cookies[name] = text(r->cookies[i].value);
        }
      if (G2A_HAS_FIELD(r, g2a_clearance_result, expires_ms))
        state.result.expires_ms = r->expires_ms;
    }
  } else if (st == G2A_OK) {
    st = G2A_INTERNAL;  // success without a result breaks the contract
    message = g2a_str{"the plugin reported success without a result", 45};
  }
  PluginCallState::finish_held(user, st, text(message));
}

}  // namespace

std::unique_ptr<ClearanceProvider> plugin_clearance_provider(plugin::Manager& plugins,
                                                             const std::string& id) {
  auto log = ops::logger("Proxy");
  if (id.empty()) {
    log->info(
        "no clearance provider (grok.clearance_provider is empty): Cloudflare challenges "
        "are not solved");
    return nullptr;
  }
  auto* p = plugins.find(id);
  if (!p) {
    log->error(
        "clearance provider plugin '{}' is not loaded: Cloudflare challenges are not "
        "solved",
        id);
    return nullptr;
  }
  if (!p->table(G2A_KIND_CLEARANCE)) {
    log->error(
        "plugin '{}' is not a clearance provider (ABI {}): Cloudflare challenges are not "
        "solved",
        id, p->abi());
    return nullptr;
  }
  log->info("clearance provider: plugin {}", id);
  return std::make_unique<PluginClearance>(*p);
}

PluginClearance::PluginClearance(plugin::LoadedPlugin& plugin,
                                 std::chrono::milliseconds default_timeout)
    : plugin_(plugin), table_(plugin.table(G2A_KIND_CLEARANCE)), default_timeout_(default_timeout) {
  if (!table_)
    throw std::invalid_argument("plugin " + plugin.id + " provides no clearance provider");
}

const std::string& PluginClearance::id() const {
  return plugin_.id;
}

asio::awaitable<Clearance> PluginClearance::solve(ClearanceRequest request) {
  auto state = std::make_shared<SolveState>();
  auto* table = static_cast<const g2a_clearance_v1*>(table_);
  void* instance = plugin_.instance;
  // The call may start after this frame gave up waiting (a blocking plugin runs on the
  // blocking pool): it owns a copy of the request.
  auto copy = std::make_shared<const ClearanceRequest>(request);
  std::function<g2a_status(void*)> start = [table, instance, copy](void* user) {
    g2a_clearance_request req{sizeof(g2a_clearance_request),
                              {copy->url.data(), copy->url.size()},
                              {copy->proxy_url.data(), copy->proxy_url.size()},
                              {copy->user_agent.data(), copy->user_agent.size()},
                              copy->timeout_ms};
    return table->solve(instance, &req, &on_done, user);
  };
  auto timeout = request.timeout_ms ? std::chrono::milliseconds(request.timeout_ms) + kGrace
                                    : default_timeout_;
  CallOutcome outcome = co_await run_plugin_call(plugin_, serial_, state, start, timeout);
  throw_unless_ok(*state, outcome, "clearance provider " + plugin_.id, timeout);
  std::lock_guard lock(state->mutex);
  Clearance out = std::move(state->result);
  if (out.user_agent.empty()) out.user_agent = request.user_agent;
  co_return out;
}

}  // namespace g2a::proxy
