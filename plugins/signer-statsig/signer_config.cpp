#include "signer_config.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <grok2api/plugin.hpp>

#include "url_util.hpp"

namespace g2a::statsig {

const char* const kDefaultUserAgent =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/146.0.0.0 Safari/537.36";

namespace {

[[noreturn]] void bad(const std::string& what) {
  throw g2a::Error(G2A_BAD_ARGUMENT, "signer-statsig config: " + what);
}

const boost::json::value* get(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

std::string string_of(const boost::json::object& o, const char* key, std::string fallback) {
  const auto* v = get(o, key);
  if (!v) return fallback;
  if (!v->is_string()) bad(fmt::format("\"{}\" must be a string", key));
  return std::string(v->as_string());
}

bool bool_of(const boost::json::object& o, const char* key, bool fallback) {
  const auto* v = get(o, key);
  if (!v) return fallback;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string() && (v->as_string() == "true" || v->as_string() == "false"))
    return v->as_string() == "true";
  bad(fmt::format("\"{}\" must be true or false", key));
}

uint32_t uint_of(const boost::json::object& o, const char* key, uint32_t fallback, uint32_t min,
                 uint32_t max) {
  const auto* v = get(o, key);
  if (!v) return fallback;
  int64_t n = 0;
  if (v->is_int64())
    n = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    n = static_cast<int64_t>(v->as_uint64());
  else
    bad(fmt::format("\"{}\" must be an integer", key));
  if (n < min || n > max) bad(fmt::format("\"{}\" must be between {} and {}", key, min, max));
  return static_cast<uint32_t>(n);
}

int position(const boost::json::value& v, const char* what) {
  if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() >= 48)
    bad(fmt::format("indices.{} must be a seed position 0..47", what));
  return static_cast<int>(v.as_int64());
}

Indices indices_of(const boost::json::value& v) {
  if (!v.is_object()) bad("\"indices\" must be a table {group, segment, time = [a, b, c]}");
  const auto& o = v.as_object();
  const auto* group = o.if_contains("group");
  const auto* segment = o.if_contains("segment");
  const auto* time = o.if_contains("time");
  if (!group || !segment || !time || !time->is_array() || time->as_array().size() != 3)
    bad("\"indices\" needs group, segment and time = [a, b, c]");
  Indices out;
  out.group = position(*group, "group");
  out.segment = position(*segment, "segment");
  for (size_t i = 0; i < 3; ++i) out.time[i] = position(time->as_array()[i], "time");
  return out;
}

bool is_private_host(std::string_view host) {
  if (host == "localhost" || host == "[::1]" || host.starts_with("127.") ||
      host.starts_with("10.") || host.starts_with("192.168."))
    return true;
  if (host.starts_with("172.")) {
    int second = std::atoi(std::string(host.substr(4)).c_str());
    return second >= 16 && second <= 31;
  }
  return false;
}

// The remote signer sees method, path and the page's seed: HTTPS, or plain HTTP to a
// private address only.
void check_remote_url(const std::string& url) {
  if (url.empty()) return;
  if (url.starts_with("https://")) return;
  if (!url.starts_with("http://")) bad("\"remote_url\" must be an http(s) URL");
  std::string origin = url_origin(url);
  std::string_view host = std::string_view(origin).substr(7);
  if (host.starts_with("[")) {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (size_t at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (!is_private_host(host)) bad("\"remote_url\" must use https unless it is a private address");
}

std::vector<RemoteTarget> targets_of(const boost::json::value& v) {
  if (!v.is_array()) bad("\"remote_paths\" must be a list of \"METHOD /path\" strings");
  std::vector<RemoteTarget> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_string()) bad("\"remote_paths\" must be a list of \"METHOD /path\" strings");
    std::string_view s = item.as_string();
    size_t space = s.find(' ');
    RemoteTarget t;
    if (space == std::string_view::npos) {
      t.method = "POST";
      t.path = std::string(s);
    } else {
      t.method = std::string(s.substr(0, space));
      t.path = std::string(s.substr(space + 1));
    }
    for (auto& c : t.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (t.path.empty() || t.path.front() != '/') bad("\"remote_paths\" entries need a /path");
    out.push_back(std::move(t));
  }
  return out;
}

Strategy strategy_of(const std::string& s) {
  if (s == "auto") return Strategy::kAuto;
  if (s == "local") return Strategy::kLocal;
  if (s == "remote") return Strategy::kRemote;
  if (s == "fixed") return Strategy::kFixed;
  if (s == "x1") return Strategy::kX1;
  bad("\"strategy\" must be auto, local, remote, fixed or x1");
}

}  // namespace

std::string_view strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kAuto:
      return "auto";
    case Strategy::kLocal:
      return "local";
    case Strategy::kRemote:
      return "remote";
    case Strategy::kFixed:
      return "fixed";
    case Strategy::kX1:
      return "x1";
  }
  return "auto";
}

Strategy SignerConfig::base_strategy() const {
  if (strategy == Strategy::kAuto && !dynamic_statsig) return Strategy::kFixed;
  return strategy;
}

SignerConfig parse_signer_config(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json.empty() ? std::string_view("{}") : json, ec);
  if (ec || !value.is_object()) bad("the table is not a JSON object");
  const auto& o = value.as_object();

  SignerConfig c;
  c.strategy = strategy_of(string_of(o, "strategy", "auto"));
  c.upstream_url = string_of(o, "upstream_url", c.upstream_url);
  while (!c.upstream_url.empty() && c.upstream_url.back() == '/') c.upstream_url.pop_back();
  if (url_origin(c.upstream_url).empty()) bad("\"upstream_url\" must be an absolute URL");
  c.dynamic_statsig = bool_of(o, "dynamic_statsig", c.dynamic_statsig);
  c.fixed_value = string_of(o, "x_statsig_id", "");
  c.remote_url = string_of(o, "remote_url", "");
  check_remote_url(c.remote_url);
  c.allow_x1_fallback = bool_of(o, "allow_x1_fallback", false);
  if (const auto* v = get(o, "indices")) c.indices = indices_of(*v);
  c.refresh_interval_s = uint_of(o, "refresh_interval_s", c.refresh_interval_s, 0, 7 * 86400);
  c.user_agent = string_of(o, "user_agent", "");
  if (c.user_agent.empty()) c.user_agent = kDefaultUserAgent;
  c.accept_language = string_of(o, "accept_language", c.accept_language);
  c.cookie = string_of(o, "cookie", "");
  c.proxy_url = string_of(o, "proxy_url", "");
  c.timeout_ms = uint_of(o, "timeout_ms", c.timeout_ms, 100, 600000);
  c.max_chunks = uint_of(o, "max_chunks", c.max_chunks, 1, 1000);
  if (const auto* v = get(o, "remote_paths")) c.remote_paths = targets_of(*v);
  c.remote_batch = uint_of(o, "remote_batch", c.remote_batch, 1, 64);
  c.remote_max_age_s = uint_of(o, "remote_max_age_s", c.remote_max_age_s, 1, 86400);
  if (c.strategy == Strategy::kRemote && c.remote_url.empty())
    bad("strategy \"remote\" needs \"remote_url\"");
  return c;
}

}  // namespace g2a::statsig
