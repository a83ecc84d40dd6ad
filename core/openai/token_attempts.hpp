// The token-attempt loop shared by every route that calls grok.com with a pool account:
// lease an eligible token, ask the proxy pool for that account's egress, run the call,
// report the outcome to both pools, and move on: to another proxy when the egress failed
// (connect, proxy, TLS, a Cloudflare challenge after one clearance refresh), to another
// token while the error catalogue says another account may succeed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/chat/token_source.hpp"
#include "core/openai/token_failure.hpp"
#include "core/upstream/grok/identity.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::calllog {
struct CallRecord;
}
namespace g2a::proxy {
class EgressService;
}

namespace g2a::openai {

// At most this many accounts are tried for one request.
inline constexpr int kMaxTokenAttempts = 3;
// At most this many egresses are tried for one account (a failed proxy is not retried).
inline constexpr int kMaxEgressAttempts = 3;

// One call with one account through one egress. It returns its failure (nullopt on
// success) or throws upstream::grok::UpstreamError / upstream::TransportError, which count
// as failures.
using TokenAttempt = std::function<boost::asio::awaitable<std::optional<upstream::grok::Diagnosis>>(
    const std::string& sso, const upstream::grok::Egress& egress)>;

struct TokenAttemptsOptions {
  std::string_view log_tag;  // the logger ("Chat", "Images")
  std::string model;         // the client's model id, for the failure message
  // Whether a failed request may still move to another account (false once the client
  // has seen bytes of the answer). Absent: always.
  std::function<bool()> may_move;
  // The request's call-log record (null when not logged): the token used and the
  // upstream outcome are noted in it.
  calllog::CallRecord* call = nullptr;
  // The proxy pool; null: every call goes through `fallback` (tests without a pool).
  proxy::EgressService* egress = nullptr;
  upstream::grok::Egress fallback;
  // The page whose Cloudflare challenge a clearance provider solves (grok.upstream_url).
  std::string challenge_url;
  // Called with each lease before its attempts (a video needs the account's tier).
  std::function<void(const chat::TokenLease&)> on_lease;
};

// nullopt when an attempt succeeded; otherwise what the client hears (client_failure).
boost::asio::awaitable<std::optional<ClientFailure>> run_token_attempts(
    chat::TokenSource& tokens, const chat::TokenRequirement& need, TokenAttemptsOptions options,
    TokenAttempt attempt);

}  // namespace g2a::openai
