#include "core/app/ops_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/app/version.hpp"
#include "core/calllog/recorder.hpp"
#include "core/ops/metrics.hpp"
#include "core/plugin/manager.hpp"
#include "core/storage/store.hpp"
#include "core/upstream/grok/signer_host.hpp"

namespace g2a::app {
namespace {

boost::json::array kind_names(uint32_t kinds) {
  boost::json::array out;
  for (const auto& name : plugin::kind_names(kinds)) out.emplace_back(name);
  return out;
}

}  // namespace

void add_ops_routes(http::Router& router, AppContext& ctx) {
  router.add("GET", "/health", [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
    boost::json::object body;
    const auto& failures = ctx.plugins->failures();
    auto store_health = ctx.store->health();
    body["status"] = failures.empty() && store_health.ok ? "ok" : "degraded";
    body["version"] = kVersion;
    body["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - ctx.started)
                           .count();
    boost::json::object storage;
    storage["mode"] = ctx.current()->storage.mode;
    storage["backend"] = ctx.store->describe();
    storage["plugin"] = ctx.store->plugin_id();
    storage["shared"] = ctx.store->shared();
    // Requests that need no storage keep working while it is down; writes wait and retry.
    storage["ok"] = store_health.ok;
    if (!store_health.ok) {
      storage["error"] = store_health.error;
      storage["degraded_since_ms"] = store_health.since_ms;
    }
    storage["failed_calls"] = store_health.failures;
    if (ctx.call_log) {
      storage["call_log_queued"] = ctx.call_log->queued();
      storage["call_log_dropped"] = ctx.call_log->dropped();
    }
    body["storage"] = std::move(storage);
    boost::json::array plugins;
    for (const auto& p : ctx.plugins->plugins()) {
      boost::json::object o;
      o["id"] = p->id;
      o["version"] = p->version;
      o["vendor"] = p->vendor;
      o["abi"] = p->abi();
      o["kinds"] = kind_names(p->descriptor.kinds);
      o["required"] = p->required;
      o["path"] = p->path;
      plugins.push_back(std::move(o));
    }
    body["plugins"] = std::move(plugins);
    boost::json::array errors;
    for (const auto& f : failures) {
      boost::json::object o;
      o["path"] = f.path;
      o["id"] = f.id;
      o["error"] = f.message;
      errors.push_back(std::move(o));
    }
    body["plugin_errors"] = std::move(errors);
    boost::json::object signer;
    if (ctx.signer) {
      signer["plugin"] = ctx.signer->plugin_id();
      boost::system::error_code ec;
      auto status = boost::json::parse(ctx.signer->status_json(), ec);
      signer["status"] = ec ? boost::json::value(nullptr) : status;
    } else {
      signer["plugin"] = ctx.current()->grok.signer;
      signer["error"] = "not loaded";
    }
    body["signer"] = std::move(signer);
    co_await ex.send(http::json_response(200, boost::json::serialize(body)));
  });

  router.add("GET", "/metrics", [](http::Exchange& ex) -> boost::asio::awaitable<void> {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = ops::Metrics::global().render();
    co_await ex.send(std::move(r));
  });
}

}  // namespace g2a::app
