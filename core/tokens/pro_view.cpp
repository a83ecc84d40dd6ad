#include "core/tokens/pro_view.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace g2a::tokens {
namespace json = boost::json;

namespace {

json::object video_stats(const std::vector<TokenView>& tokens) {
  int64_t remaining = 0, limit = 0, with_video = 0, exhausted = 0;
  for (const auto& v : tokens) {
    const auto& r = v.record;
    if (r.video_remaining >= 0) remaining += r.video_remaining;
    if (r.video_limit >= 0) limit += r.video_limit;
    if (r.video_limit > 0 || r.video_remaining > 0) ++with_video;
    if (r.video_remaining == 0) ++exhausted;
  }
  json::object o;
  o["total_remaining"] = remaining;
  o["total_limit"] = limit;
  o["tokens_with_video"] = with_video;
  o["exhausted_tokens"] = exhausted;
  return o;
}

}  // namespace

int64_t relevant_remaining(const TokenRecord& r, Pool pool) {
  if (effective_tier(r, pool) == Tier::kBasic) return r.remaining_queries;
  return std::max(r.remaining_queries, r.heavy_remaining_queries);
}

std::string status_label(const TokenRecord& r, Pool pool, int64_t now_ms) {
  if (!r.disabled_reason.empty()) return kLabelExpired;
  if (r.cooldown_until_ms > now_ms) return kLabelLimited;
  int64_t remaining = relevant_remaining(r, pool);
  if (remaining < 0) return r.expired() ? kLabelExpired : kLabelUnused;
  return remaining == 0 ? kLabelLimited : kLabelActive;
}

json::object token_info(const TokenView& v, int64_t now_ms) {
  const auto& r = v.record;
  json::object o;
  o["token"] = v.sso;
  o["token_type"] = pro_token_type(v.pool);
  o["created_time"] = r.created_time;
  o["remaining_queries"] = r.remaining_queries;
  o["heavy_remaining_queries"] = r.heavy_remaining_queries;
  o["video_remaining"] = r.video_remaining;
  o["video_limit"] = r.video_limit;
  o["status"] = status_label(r, v.pool, now_ms);
  json::array tags;
  for (const auto& t : r.tags) tags.emplace_back(t);
  o["tags"] = std::move(tags);
  o["note"] = r.note;
  // Ours.
  o["raw_status"] = r.status;
  o["tier"] = r.detected_tier ? json::value(to_string(*r.detected_tier)) : json::value();
  o["tier_hint"] = to_string(pool_hint(v.pool));
  o["failed_count"] = r.failed_count;
  o["last_failure_time"] = r.last_failure_time ? json::value(*r.last_failure_time) : json::value();
  o["last_failure_reason"] =
      r.last_failure_reason ? json::value(*r.last_failure_reason) : json::value();
  o["disabled_reason"] = r.disabled_reason;
  o["cooldown_until_ms"] = r.cooldown_until_ms;
  o["prepared_at_ms"] = r.prepared_at_ms;
  o["in_flight"] = v.in_flight;
  json::object quotas;
  for (const auto& [k, q] : r.quotas) quotas[k] = quota_to_json(q);
  o["quotas"] = std::move(quotas);
  return o;
}

json::object pool_stats(const std::vector<TokenView>& tokens, int64_t now_ms) {
  json::object out;
  for (Pool p : {Pool::kNormal, Pool::kSuper, Pool::kHeavy}) {
    int64_t total = 0, unused = 0, limited = 0, expired = 0, active = 0;
    for (const auto& v : tokens) {
      if (v.pool != p) continue;
      ++total;
      auto label = status_label(v.record, v.pool, now_ms);
      if (label == kLabelUnused)
        ++unused;
      else if (label == kLabelLimited)
        ++limited;
      else if (label == kLabelExpired)
        ++expired;
      else
        ++active;
    }
    json::object s;
    s["total"] = total;
    s["unused"] = unused;
    s["limited"] = limited;
    s["expired"] = expired;
    s["active"] = active;
    out[p == Pool::kNormal ? "normal" : p == Pool::kSuper ? "super" : "heavy"] = std::move(s);
  }
  out["total"] = static_cast<int64_t>(tokens.size());
  out["video"] = video_stats(tokens);
  return out;
}

json::object remaining_stats(const std::vector<TokenView>& tokens, int64_t assumed) {
  int64_t chat = 0;
  for (const auto& v : tokens) {
    if (!v.record.disabled_reason.empty()) continue;  // blocked: nothing to count on
    int64_t r = relevant_remaining(v.record, v.pool);
    if (r >= 0)
      chat += r;
    else if (!v.record.expired())
      chat += assumed;
  }
  json::object o;
  o["chat_total_remaining"] = chat;
  o["image_total_remaining"] = chat / 2;
  o["assumed_chat_quota_per_token"] = assumed;
  o["video"] = video_stats(tokens);
  return o;
}

}  // namespace g2a::tokens
