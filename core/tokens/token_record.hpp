// One SSO token as persisted in the "tokens" collection (key "<pool>/<sso>"): the Pro
// fields of data/token.json (spec grok-upstream-and-pro §3.1) first, then ours in the same
// object, so that the Pro service can still read the file and ignores what it does not know.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "core/tokens/quota.hpp"
#include "core/tokens/tier.hpp"

namespace g2a::tokens {

// The pools of token.json. The pool is a hint about the tier; a tier read from quota
// totals wins.
enum class Pool { kNormal, kSuper, kHeavy };

std::string_view pool_name(Pool p);                         // "ssoNormal", "ssoSuper", "ssoHeavy"
std::optional<Pool> pool_from_name(std::string_view name);  // also the admin alias "sso"
std::string_view pro_token_type(Pool p);                    // "sso", "ssoSuper", "ssoHeavy"
Tier pool_hint(Pool p);

std::string make_key(Pool pool, std::string_view sso);
// "<pool>/<sso>" split, or nullopt for another shape.
std::optional<std::pair<Pool, std::string>> split_key(std::string_view key);

inline constexpr int kMaxAuthFailures = 3;  // the Pro rule: expired after 3 failures

struct TokenRecord {
  // Pro fields, in the Pro order.
  int64_t created_time = 0;
  int64_t remaining_queries = -1;  // chat "fast" (Pro: the chat model's remaining)
  int64_t heavy_remaining_queries = -1;
  int64_t video_remaining = -1;
  int64_t video_limit = -1;
  std::string status = "active";  // active | expired
  int64_t failed_count = 0;
  int64_t zero_count = 0;
  std::optional<int64_t> last_failure_time;
  std::optional<std::string> last_failure_reason;  // "<status>: <message>"
  std::vector<std::string> tags;
  std::string note;

  // Ours.
  std::optional<Tier> detected_tier;         // from quota totals; nullopt = unknown
  std::map<std::string, QuotaEntry> quotas;  // by mode or media kind
  int64_t cooldown_until_ms = 0;             // token-wide cooldown (no mode known)
  std::string disabled_reason;               // set when grok.com says the account is blocked
  int64_t prepared_at_ms = 0;                // account preparation finished (TOS, birth, NSFW)

  boost::json::object extra;  // members we do not know, written back as found

  bool expired() const { return status == "expired"; }
};

// A token as the pool holds it, copied out for views.
struct TokenView {
  Pool pool = Pool::kNormal;
  std::string sso;
  TokenRecord record;
  int in_flight = 0;
};

// A new token (Pro: adding resets every stat).
TokenRecord fresh_record(int64_t now_ms);

// The document stored for a token; tier/tier_source say "quota" when detected, else the
// pool's hint with tier_source "pool".
boost::json::object to_json(const TokenRecord& r, Pool pool);
// One quota as stored and as the admin API shows it.
boost::json::object quota_to_json(const QuotaEntry& q);

// Lenient: wrong or missing members take their defaults.
TokenRecord record_from_json(const boost::json::object& o);

// Copies what the quotas say into the Pro mirror fields (remainingQueries, ...).
void sync_pro_fields(TokenRecord& r);

// The tier to assume for defaults (cooldown windows): detected, else the pool's hint.
Tier effective_tier(const TokenRecord& r, Pool pool);

}  // namespace g2a::tokens
