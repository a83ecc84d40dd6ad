// The error catalogue of grok.com (spec: grok-upstream-current §3): what an answer means,
// what the gateway does about it, and what a client hears when nothing helped.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "core/upstream/http_types.hpp"

namespace g2a::upstream::grok {

enum class Problem {
  kNone,
  kCloudflare,       // 403 challenge page: refresh the egress's clearance, retry once
  kAntiBot,          // 403 code 7 "anti-bot rules": re-sign, retry once, then switch egress
  kPageOutOfDate,    // 403 code 7 "page is out of date": new site build; re-scrape, re-sign
  kBlocked,          // account blocked: disable the token
  kUnauthenticated,  // 401 / session unauthenticated: the SSO is invalid
  kRateLimited,      // 429 / code 8 / "too many requests": cool the token down
  kUsageLimit,       // "You've reached your usage limit": cool the token down
  kServerError,      // 5xx
  kRejected,         // another 4xx: the request itself was refused
  kModerated,        // the result was moderated away
  kTransport,        // no answer: connect, proxy, TLS, timeout, reset
  kNoEgress,         // no healthy proxy, no static proxy, and direct is not allowed
};

std::string_view to_string(Problem p);

struct Diagnosis {
  Problem problem = Problem::kNone;
  long status = 0;      // the upstream HTTP status (0 when none)
  std::string message;  // upstream's own words, trimmed, for logs and call records
  // The egress is at fault (connect, proxy or TLS failure): it counts against the proxy's
  // health, and the call may go again through another proxy.
  bool egress_fault = false;
};

// A failure below HTTP, read as the catalogue says (kTransport, with egress_fault for
// connect, proxy and TLS failures).
Diagnosis diagnose_transport(const TransportError& e);

// An HTTP answer (status, body, headers) read as the catalogue says.
Diagnosis diagnose_http(long status, std::string_view body, const Headers& headers);
// An error reported inside a stream (NDJSON error lines, mgw error events, usage limits).
Diagnosis diagnose_stream_error(std::string_view code, std::string_view message);

struct Remedy {
  bool resign_and_retry = false;   // drop the signer's build state, re-sign, retry once
  bool refresh_clearance = false;  // new cf_clearance for the egress, retry once
  bool cool_down_token = false;    // stop using the token for a while
  bool disable_token = false;      // mark the token invalid
  bool proxy_failure = false;      // counts against the egress's health
  bool try_another_token = false;  // the request may succeed with another account
  int client_status = 502;         // what the client hears when nothing helped
  std::string_view client_type = "upstream_error";
  std::string_view client_code = "upstream_error";
};

Remedy remedy_for(Problem p);

// Whether the chat-gateway WebSocket refused a turn that REST may still serve with the
// same account: anti-bot and "page out of date" answers, another 4xx, or a 5xx answer to
// the handshake (the gateway itself is down). Account problems (401, blocked, rate and usage
// limits), Cloudflare (same egress), transport failures and in-stream server errors are not.
bool chat_gateway_refused(const Diagnosis& d);

class UpstreamError : public std::runtime_error {
 public:
  explicit UpstreamError(Diagnosis d)
      : std::runtime_error(std::string(to_string(d.problem)) + ": " + d.message),
        diagnosis_(std::move(d)) {}
  const Diagnosis& diagnosis() const { return diagnosis_; }

 private:
  Diagnosis diagnosis_;
};

}  // namespace g2a::upstream::grok
