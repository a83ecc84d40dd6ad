#include "core/tokens/token_record.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace g2a::tokens {
namespace json = boost::json;

namespace {

constexpr std::string_view kProFields[] = {"createdTime",
                                           "remainingQueries",
                                           "heavyremainingQueries",
                                           "videoRemaining",
                                           "videoLimit",
                                           "status",
                                           "failedCount",
                                           "zeroCount",
                                           "lastFailureTime",
                                           "lastFailureReason",
                                           "tags",
                                           "note"};
constexpr std::string_view kOurFields[] = {
    "tier", "tier_source", "quotas", "cooldown_until_ms", "disabled_reason", "prepared_at_ms"};

bool known_field(std::string_view k) {
  return std::find(std::begin(kProFields), std::end(kProFields), k) != std::end(kProFields) ||
         std::find(std::begin(kOurFields), std::end(kOurFields), k) != std::end(kOurFields);
}

int64_t int_or(const json::object& o, std::string_view key, int64_t fallback) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return fallback;
}

std::string string_or(const json::object& o, std::string_view key, std::string fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : fallback;
}

QuotaEntry quota_from_json(const json::object& o) {
  QuotaEntry q;
  q.remaining = int_or(o, "remaining", -1);
  q.total = int_or(o, "total", -1);
  q.window_s = int_or(o, "window_s", 0);
  q.read_at_ms = int_or(o, "read_at_ms", 0);
  q.cooldown_until_ms = int_or(o, "cooldown_until_ms", 0);
  if (const auto* a = o.if_contains("available"); a && a->is_bool()) q.available = a->as_bool();
  return q;
}

}  // namespace

json::object quota_to_json(const QuotaEntry& q) {
  json::object o;
  o["remaining"] = q.remaining;
  o["total"] = q.total;
  o["window_s"] = q.window_s;
  o["read_at_ms"] = q.read_at_ms;
  o["cooldown_until_ms"] = q.cooldown_until_ms;
  o["available"] = q.available;
  return o;
}

std::string_view pool_name(Pool p) {
  switch (p) {
    case Pool::kNormal:
      return "ssoNormal";
    case Pool::kSuper:
      return "ssoSuper";
    case Pool::kHeavy:
      return "ssoHeavy";
  }
  return "ssoNormal";
}

std::optional<Pool> pool_from_name(std::string_view name) {
  if (name == "ssoNormal" || name == "sso") return Pool::kNormal;
  if (name == "ssoSuper") return Pool::kSuper;
  if (name == "ssoHeavy") return Pool::kHeavy;
  return std::nullopt;
}

std::string_view pro_token_type(Pool p) {
  return p == Pool::kNormal ? "sso" : pool_name(p);
}

Tier pool_hint(Pool p) {
  return p == Pool::kNormal ? Tier::kBasic : p == Pool::kSuper ? Tier::kSuper : Tier::kHeavy;
}

std::string make_key(Pool pool, std::string_view sso) {
  std::string k(pool_name(pool));
  k += '/';
  k += sso;
  return k;
}

std::optional<std::pair<Pool, std::string>> split_key(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos || slash + 1 >= key.size()) return std::nullopt;
  auto pool = key.substr(0, slash);
  if (pool == "sso") return std::nullopt;  // only the stored names
  auto p = pool_from_name(pool);
  if (!p) return std::nullopt;
  return std::make_pair(*p, std::string(key.substr(slash + 1)));
}

TokenRecord fresh_record(int64_t now_ms) {
  TokenRecord r;
  r.created_time = now_ms;
  return r;
}

json::object to_json(const TokenRecord& r, Pool pool) {
  json::object o;
  o["createdTime"] = r.created_time;
  o["remainingQueries"] = r.remaining_queries;
  o["heavyremainingQueries"] = r.heavy_remaining_queries;
  o["videoRemaining"] = r.video_remaining;
  o["videoLimit"] = r.video_limit;
  o["status"] = r.status;
  o["failedCount"] = r.failed_count;
  o["zeroCount"] = r.zero_count;
  o["lastFailureTime"] = r.last_failure_time ? json::value(*r.last_failure_time) : json::value();
  o["lastFailureReason"] =
      r.last_failure_reason ? json::value(*r.last_failure_reason) : json::value();
  json::array tags;
  for (const auto& t : r.tags) tags.emplace_back(t);
  o["tags"] = std::move(tags);
  o["note"] = r.note;
  for (const auto& [k, v] : r.extra) o[k] = v;
  o["tier"] = to_string(r.detected_tier ? *r.detected_tier : pool_hint(pool));
  o["tier_source"] = r.detected_tier ? "quota" : "pool";
  json::object quotas;
  for (const auto& [k, q] : r.quotas) quotas[k] = quota_to_json(q);
  o["quotas"] = std::move(quotas);
  o["cooldown_until_ms"] = r.cooldown_until_ms;
  o["disabled_reason"] = r.disabled_reason;
  o["prepared_at_ms"] = r.prepared_at_ms;
  return o;
}

TokenRecord record_from_json(const json::object& o) {
  TokenRecord r;
  r.created_time = int_or(o, "createdTime", 0);
  r.remaining_queries = int_or(o, "remainingQueries", -1);
  r.heavy_remaining_queries = int_or(o, "heavyremainingQueries", -1);
  r.video_remaining = int_or(o, "videoRemaining", -1);
  r.video_limit = int_or(o, "videoLimit", -1);
  r.status = string_or(o, "status", "active") == "expired" ? "expired" : "active";
  r.failed_count = int_or(o, "failedCount", 0);
  r.zero_count = int_or(o, "zeroCount", 0);
  if (const auto* v = o.if_contains("lastFailureTime"); v && !v->is_null())
    r.last_failure_time = int_or(o, "lastFailureTime", 0);
  if (const auto* v = o.if_contains("lastFailureReason"); v && v->is_string())
    r.last_failure_reason = std::string(v->as_string());
  if (const auto* v = o.if_contains("tags"); v && v->is_array())
    for (const auto& t : v->as_array())
      if (t.is_string()) r.tags.emplace_back(t.as_string());
  r.note = string_or(o, "note", "");
  if (string_or(o, "tier_source", "") == "quota")
    r.detected_tier = tier_from_string(string_or(o, "tier", ""));
  if (const auto* v = o.if_contains("quotas"); v && v->is_object())
    for (const auto& [k, q] : v->as_object())
      if (q.is_object()) r.quotas[std::string(k)] = quota_from_json(q.as_object());
  r.cooldown_until_ms = int_or(o, "cooldown_until_ms", 0);
  r.disabled_reason = string_or(o, "disabled_reason", "");
  r.prepared_at_ms = int_or(o, "prepared_at_ms", 0);
  for (const auto& [k, v] : o)
    if (!known_field(k)) r.extra[k] = v;
  return r;
}

void sync_pro_fields(TokenRecord& r) {
  auto read = [&](const char* key) -> const QuotaEntry* {
    auto it = r.quotas.find(key);
    if (it == r.quotas.end()) return nullptr;
    const QuotaEntry& q = it->second;
    return q.remaining >= 0 || !q.available ? &q : nullptr;
  };
  if (const auto* q = read("fast")) r.remaining_queries = q->remaining;
  if (const auto* q = read("heavy")) r.heavy_remaining_queries = q->available ? q->remaining : 0;
  // Pro had one video counter; quota_info has 480p and 720p: their sums.
  int64_t remaining = 0, limit = 0;
  bool any = false;
  for (const char* key : {"video", "video720p"}) {
    const auto* q = read(key);
    if (!q || !q->available || q->remaining < 0) continue;
    any = true;
    remaining += q->remaining;
    limit += std::max(q->total, q->remaining);
  }
  if (any) {
    r.video_remaining = remaining;
    r.video_limit = limit;
  }
}

Tier effective_tier(const TokenRecord& r, Pool pool) {
  return r.detected_tier ? *r.detected_tier : pool_hint(pool);
}

}  // namespace g2a::tokens
