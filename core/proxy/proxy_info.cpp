#include "core/proxy/proxy_info.hpp"

#include <boost/json.hpp>

#include <cstdint>

#include "core/ops/mask.hpp"

namespace g2a::proxy {
namespace json = boost::json;

namespace {

int64_t int_of(const json::object& o, std::string_view key, int64_t fallback) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64())
    return v->get_uint64() > INT64_MAX ? fallback : static_cast<int64_t>(v->get_uint64());
  // A hand-edited file may hold any number: one out of range (or NaN) is ignored, as a
  // cast of it would be undefined.
  if (v->is_double()) {
    double d = v->get_double();
    if (d >= -9.2e18 && d <= 9.2e18) return static_cast<int64_t>(d);
  }
  return fallback;
}

std::string string_of(const json::object& o, std::string_view key, std::string fallback = {}) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

}  // namespace

std::string to_json(const ProxyInfo& info) {
  json::array ssos;
  for (const auto& s : info.assigned_sso) ssos.emplace_back(s);
  json::object cookies;
  for (const auto& [k, v] : info.cf_cookies) cookies[k] = v;
  json::object o;
  o["url"] = info.url;
  o["healthy"] = info.healthy;
  o["fail_count"] = info.fail_count;
  o["last_used"] = info.last_used;
  o["assigned_sso"] = std::move(ssos);
  o["total_requests"] = info.total_requests;
  o["success_requests"] = info.success_requests;
  o["source"] = info.source;
  o["user_agent"] = info.user_agent;
  o["cf_cookies"] = std::move(cookies);
  o["last_error"] = info.last_error;
  o["last_check"] = info.last_check;
  return json::serialize(o);
}

ProxyInfo masked(ProxyInfo info) {
  info.url = ops::mask_url_credentials(info.url);
  for (auto& [name, value] : info.cf_cookies) value = ops::mask_secret(value);
  return info;
}

std::optional<ProxyInfo> proxy_info_from_json(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  ProxyInfo p;
  p.url = string_of(o, "url");
  if (const auto* h = o.if_contains("healthy"); h && h->is_bool()) p.healthy = h->get_bool();
  p.fail_count = int_of(o, "fail_count", 0);
  p.last_used = int_of(o, "last_used", 0);
  if (const auto* a = o.if_contains("assigned_sso"); a && a->is_array())
    for (const auto& s : a->get_array())
      if (s.is_string()) p.assigned_sso.emplace_back(s.get_string());
  p.total_requests = int_of(o, "total_requests", 0);
  p.success_requests = int_of(o, "success_requests", 0);
  p.source = string_of(o, "source", p.source);
  if (p.source.empty()) p.source = std::string(kSourceAdmin);
  p.user_agent = string_of(o, "user_agent");
  if (const auto* c = o.if_contains("cf_cookies"); c && c->is_object())
    for (const auto& kv : c->get_object())
      if (kv.value().is_string()) p.cf_cookies[std::string(kv.key())] = kv.value().get_string();
  p.last_error = string_of(o, "last_error");
  p.last_check = int_of(o, "last_check", 0);
  return p;
}

std::string assignment_json(std::string_view url) {
  return json::serialize(json::value(json::string(url)));
}

std::optional<std::string> assignment_from_json(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_string()) return std::nullopt;
  return std::string(v.get_string());
}

}  // namespace g2a::proxy
