// The Pro admin API's views of the pool (spec grok-upstream-and-pro §5.2): TokenInfo with
// its Chinese status label, /api/stats and /api/stats/remaining, plus our own fields.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/tokens/token_record.hpp"

namespace g2a::tokens {

inline constexpr const char* kLabelUnused = "未使用";
inline constexpr const char* kLabelLimited = "限流中";
inline constexpr const char* kLabelExpired = "失效";
inline constexpr const char* kLabelActive = "正常";

// Pro's "relevant remaining": remainingQueries, or for Super (and Heavy) accounts
// max(remainingQueries, heavyremainingQueries), ignoring -1.
int64_t relevant_remaining(const TokenRecord& r, Pool pool);

// 未使用 (-1, not expired), 失效 (-1 and expired), 限流中 (0), 正常 (>0). Ours on top: a
// disabled (blocked) token is 失效 and a cooling one 限流中 whatever its counters say.
std::string status_label(const TokenRecord& r, Pool pool, int64_t now_ms);

// TokenInfo {token, token_type, created_time, remaining_queries, heavy_remaining_queries,
// video_remaining, video_limit, status, tags, note} and our fields after them.
boost::json::object token_info(const TokenView& v, int64_t now_ms);

// {normal:{total,unused,limited,expired,active}, super:{...}, heavy:{...}, total,
//  video:{total_remaining,total_limit,tokens_with_video,exhausted_tokens}}
boost::json::object pool_stats(const std::vector<TokenView>& tokens, int64_t now_ms);

// {chat_total_remaining, image_total_remaining, assumed_chat_quota_per_token, video}
boost::json::object remaining_stats(const std::vector<TokenView>& tokens, int64_t assumed);

}  // namespace g2a::tokens
