#include "core/admin/proxy_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/health_check.hpp"
#include "core/proxy/proxy_pool.hpp"
#include "core/proxy/proxy_url.hpp"

namespace g2a::admin {
namespace json = boost::json;
using boost::asio::awaitable;
using proxy::ProxyPool;

namespace {

std::string field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  std::string s(v->as_string());
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

struct Deps {
  app::AppContext& ctx;
  ProxyPool& pool;
};

// The body as an object with a non-empty string member `key`, or the 400 already sent.
awaitable<std::optional<std::pair<json::object, std::string>>> body_with(http::Exchange& ex,
                                                                         std::string_view key) {
  auto body = parse_object(ex.request().body);
  std::string value = body ? field(*body, key) : std::string();
  if (value.empty()) {
    auto r = pro_error(
        400, "expected a JSON object with a non-empty string \"" + std::string(key) + "\"", key,
        "INVALID_PARAMETER");
    co_await ex.send(std::move(r));
    co_return std::nullopt;
  }
  co_return std::make_pair(std::move(*body), std::move(value));
}

awaitable<std::optional<std::string>> known_proxy(Deps& d, http::Exchange& ex,
                                                  const std::string& named,
                                                  std::string_view param) {
  auto url = d.pool.resolve(named);
  if (!url) {
    auto r =
        pro_error(404, "代理不存在 (no proxy " + ops::mask_url_credentials(named) + " in the pool)",
                  param, "NOT_FOUND");
    co_await ex.send(std::move(r));
  }
  co_return url;
}

awaitable<void> list_proxies(Deps& d, http::Exchange& ex) {
  json::array proxies;
  auto all = d.pool.list();
  for (const auto& p : all) proxies.push_back(json::parse(proxy::to_json(proxy::masked(p))));
  json::object assignments;
  for (const auto& [sso, url] : d.pool.assignments())
    assignments[sso] = ops::mask_url_credentials(url);
  json::object ok;
  ok["proxies"] = std::move(proxies);
  ok["assignments"] = std::move(assignments);
  ok["total"] = static_cast<int64_t>(all.size());
  ok["static_proxy"] = ops::mask_url_credentials(d.pool.static_proxy());
  ok["allow_direct"] = d.pool.direct_allowed();
  co_await ex.send(pro_ok(std::move(ok)));
}

awaitable<void> add_proxy(Deps& d, http::Exchange& ex) {
  auto body = co_await body_with(ex, "url");
  if (!body) co_return;
  auto url = proxy::proxy_url_of(body->second);
  if (!url) {
    auto r = pro_error(400,
                       "无效的代理地址 (url must be scheme://[user:pass@]host:port with scheme "
                       "http, https, socks5 or socks5h, or host:port)",
                       "url", "INVALID_PROXY");
    co_await ex.send(std::move(r));
    co_return;
  }
  bool added = d.pool.add(*url, std::string(proxy::kSourceAdmin));
  json::object ok;
  ok["message"] = added ? "代理添加成功" : "代理已存在 (already in the pool)";
  ok["url"] = ops::mask_url_credentials(*url);
  ok["added"] = added;
  co_await ex.send(pro_ok(std::move(ok)));
}

// DELETE /api/proxies and POST /api/proxies/health/reset: {"url"} naming a known proxy.
awaitable<void> on_known_proxy(Deps& d, http::Exchange& ex,
                               bool (ProxyPool::*act)(const std::string&), const char* message) {
  auto body = co_await body_with(ex, "url");
  if (!body) co_return;
  auto url = co_await known_proxy(d, ex, body->second, "url");
  if (!url) co_return;
  (d.pool.*act)(*url);
  json::object ok;
  ok["message"] = message;
  co_await ex.send(pro_ok(std::move(ok)));
}

awaitable<void> delete_proxy(Deps& d, http::Exchange& ex) {
  co_await on_known_proxy(d, ex, &ProxyPool::remove, "代理删除成功");
}

awaitable<void> assign(Deps& d, http::Exchange& ex) {
  auto body = co_await body_with(ex, "proxy_url");
  if (!body) co_return;
  std::string sso = field(body->first, "sso");
  if (sso.empty()) {
    auto r = pro_error(400, "expected a non-empty string \"sso\"", "sso", "INVALID_PARAMETER");
    co_await ex.send(std::move(r));
    co_return;
  }
  auto url = co_await known_proxy(d, ex, body->second, "proxy_url");
  if (!url) co_return;
  if (d.pool.assign(*url, sso) == ProxyPool::AssignResult::kUnhealthy) {
    auto r = pro_error(409, "代理不可用 (the proxy is unhealthy; reset its health first)",
                       "proxy_url", "PROXY_UNHEALTHY");
    co_await ex.send(std::move(r));
    co_return;
  }
  json::object ok;
  ok["message"] = "绑定成功";
  co_await ex.send(pro_ok(std::move(ok)));
}

awaitable<void> unassign(Deps& d, http::Exchange& ex) {
  auto body = co_await body_with(ex, "sso");
  if (!body) co_return;
  bool removed = d.pool.unassign(body->second);
  json::object ok;
  ok["message"] = removed ? "解绑成功" : "该 SSO 未绑定代理 (it had no binding)";
  ok["removed"] = removed;
  co_await ex.send(pro_ok(std::move(ok)));
}

awaitable<void> test_proxy(Deps& d, http::Exchange& ex) {
  auto body = co_await body_with(ex, "url");
  if (!body) co_return;
  // A proxy of the pool (also by its masked URL), or any proxy URL to try before adding it.
  auto url = d.pool.resolve(body->second);
  if (!url) url = proxy::proxy_url_of(body->second);
  if (!url) {
    auto r = pro_error(400, "无效的代理地址 (url is not a proxy URL)", "url", "INVALID_PROXY");
    co_await ex.send(std::move(r));
    co_return;
  }
  if (!d.ctx.http) {
    co_await ex.send(pro_error(503, "no HTTP client", {}, "UNAVAILABLE"));
    co_return;
  }
  auto target = proxy::health_url(*d.ctx.current());
  auto op = proxy::probe(*d.ctx.http, target, d.pool.egress_of(*url), std::chrono::seconds(15));
  auto r = co_await std::move(op);
  double rounded = std::round(r.response_time * 1000) / 1000;
  if (!r.reachable) {
    auto answer = pro_error(502, r.note, "url", "PROXY_UNREACHABLE");
    auto v = json::parse(answer.body);
    v.as_object()["status_code"] = 0;
    v.as_object()["response_time"] = rounded;
    v.as_object()["note"] = r.note;
    answer.body = json::serialize(v);
    co_await ex.send(std::move(answer));
    co_return;
  }
  json::object ok;
  ok["status_code"] = r.status_code;
  ok["response_time"] = rounded;
  ok["note"] = r.note;
  co_await ex.send(pro_ok(std::move(ok)));
}

awaitable<void> reset_health(Deps& d, http::Exchange& ex) {
  co_await on_known_proxy(d, ex, &ProxyPool::reset_health, "健康状态已重置");
}

}  // namespace

void add_proxy_routes(http::Router& router, app::AppContext& ctx, ProxyPool& pool) {
  auto d = std::make_shared<Deps>(Deps{ctx, pool});
  auto guarded = [&](awaitable<void> (*fn)(Deps&, http::Exchange&)) {
    return require_admin(ctx, [d, fn](http::Exchange& ex) -> awaitable<void> {
      auto op = fn(*d, ex);
      co_await std::move(op);
    });
  };
  router.add("GET", "/api/proxies", guarded(list_proxies));
  router.add("POST", "/api/proxies", guarded(add_proxy));
  router.add("DELETE", "/api/proxies", guarded(delete_proxy));
  router.add("POST", "/api/proxies/assign", guarded(assign));
  router.add("POST", "/api/proxies/unassign", guarded(unassign));
  router.add("POST", "/api/proxies/test", guarded(test_proxy));
  router.add("POST", "/api/proxies/health/reset", guarded(reset_health));
}

}  // namespace g2a::admin
