// Account preparation (spec grok-upstream-current §2.11), in the order grok.com enforces:
// terms of service (first on accounts.x.ai over gRPC-web, then on grok.com), birth date,
// NSFW (which needs the birth date). Idempotent: accepting the terms again is harmless, a birth
// date set before is refused with a limit that means "already set", and enabling NSFW twice is
// harmless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/upstream/grok/identity.hpp"
#include "core/upstream/grok/problem.hpp"
#include "core/upstream/http_types.hpp"

namespace g2a::upstream::grok {
class GrokClient;
}

namespace g2a::tokens {

struct PrepStep {
  std::string name;  // "tos_accounts", "tos", "birth_date", "nsfw"
  bool ok = false;
  std::string detail;  // "accepted", "already set", or why it failed
};

struct PrepResult {
  bool ok = false;  // every step done
  std::vector<PrepStep> steps;
  // The upstream refusal that stopped it, for the pool's failure rules.
  std::optional<upstream::grok::Diagnosis> refused;
};

// Runs the steps in order and stops at the first that fails. birth_date is
// "YYYY-MM-DDT16:00:00.000Z" (random_birth_date()).
boost::asio::awaitable<PrepResult> prepare_account(upstream::grok::GrokClient& client,
                                                   upstream::grok::Account account,
                                                   upstream::grok::Egress egress,
                                                   std::string birth_date);

// A birth date of a random adult aged 20 to 40 at now_ms, as the web app sends it.
std::string random_birth_date(int64_t now_ms);

// The gRPC-web body of UpdateUserFeatureControls {1:{2:1}, 2:{1:"always_show_nsfw_content"}}.
std::string nsfw_request_body();
// The gRPC-web body of accounts.x.ai SetTosAcceptedVersion: frame 00 00 00 00 02 + {2:1}.
std::string tos_request_body();

// grpc-status and grpc-message of a gRPC-web answer body's trailer frame; nullopt when the
// body has no trailer (the status then came in the headers, which we do not see).
struct GrpcStatus {
  int code = 0;
  std::string message;
};
std::optional<GrpcStatus> grpc_web_status(std::string_view body);
// The status of a whole gRPC-web answer: the grpc-status header of a trailers-only answer,
// else the body's trailer frame.
std::optional<GrpcStatus> grpc_web_status(const upstream::HttpResponse& answer);

}  // namespace g2a::tokens
