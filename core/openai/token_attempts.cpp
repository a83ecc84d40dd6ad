#include "core/openai/token_attempts.hpp"

#include <set>

#include "core/calllog/call_record.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/egress_service.hpp"
#include "core/upstream/http_types.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
using upstream::grok::Diagnosis;
using upstream::grok::Egress;
using upstream::grok::Problem;

namespace {
// The call log keeps the last account tried, the egress it went through and how upstream
// answered it.
void note_attempt(calllog::CallRecord& call, const chat::TokenLease& lease, const Egress& egress,
                  const std::optional<Diagnosis>& failure) {
  call.sso_full = lease.sso();
  call.token_type = std::string(lease.token_type());
  call.proxy_used = egress.proxy_url;
  call.upstream_status = failure ? static_cast<int>(failure->status) : 200;
  call.error_type = failure ? std::string(upstream::grok::to_string(failure->problem)) : "";
  call.error_message = failure ? failure->message : "";
}

bool egress_failed(const std::optional<Diagnosis>& f) {
  return f && (f->egress_fault || f->problem == Problem::kCloudflare);
}

Diagnosis no_egress() {
  return Diagnosis{Problem::kNoEgress, 0,
                   "no healthy proxy is left, no static proxy (grok.proxy_url) is set, and direct "
                   "connections are not allowed (grok.allow_direct)"};
}

asio::awaitable<std::optional<Diagnosis>> run_once(const TokenAttempt& attempt,
                                                   const std::string& sso, const Egress& egress) {
  std::optional<Diagnosis> failure;
  try {
    auto call = attempt(sso, egress);
    failure = co_await std::move(call);
  } catch (const upstream::grok::UpstreamError& e) {
    failure = e.diagnosis();
  } catch (const upstream::TransportError& e) {
    failure = upstream::grok::diagnose_transport(e);
  }
  co_return failure;
}

struct EgressOutcome {
  std::optional<Diagnosis> failure;
  Egress egress;  // the egress of the last call made
};

// One account through the egresses the pool gives it: another proxy after an egress
// failure, the same one once more after a Cloudflare clearance refresh.
asio::awaitable<EgressOutcome> through_egresses(const TokenAttemptsOptions& options,
                                                const TokenAttempt& attempt,
                                                const std::string& sso) {
  EgressOutcome out;
  if (!options.egress) {
    out.egress = options.fallback;
    out.failure = co_await run_once(attempt, sso, out.egress);
    co_return out;
  }
  auto log = ops::logger(std::string(options.log_tag));
  std::set<std::string> avoid;
  std::optional<Egress> refreshed;  // the egress with new clearance, tried once more
  bool clearance_tried = false;
  for (int n = 0; n < kMaxEgressAttempts + 1; ++n) {
    std::optional<Egress> egress = std::move(refreshed);
    refreshed.reset();
    if (!egress) {
      auto pick = options.egress->for_sso(sso, avoid);
      egress = co_await std::move(pick);
    }
    if (!egress) {
      // The first call of the request had nowhere to go; later ones keep the last failure.
      if (n == 0) out.failure = no_egress();
      co_return out;
    }
    out.egress = *egress;
    out.failure = co_await run_once(attempt, sso, out.egress);
    if (!egress_failed(out.failure)) {
      options.egress->succeeded(out.egress.id);
      co_return out;
    }
    options.egress->failed(out.egress.id, out.failure->message);
    log->warn("egress {} failed for {}: {}", ops::mask_url_credentials(out.egress.id),
              ops::mask_token(sso), out.failure->message);
    if (options.may_move && !options.may_move()) co_return out;
    if (out.failure->problem == Problem::kCloudflare && !clearance_tried) {
      clearance_tried = true;
      auto solve = options.egress->refresh_clearance(out.egress, options.challenge_url);
      refreshed = co_await std::move(solve);
      if (refreshed) continue;
    }
    avoid.insert(out.egress.id);
  }
  co_return out;
}

}  // namespace

asio::awaitable<std::optional<ClientFailure>> run_token_attempts(chat::TokenSource& tokens,
                                                                 const chat::TokenRequirement& need,
                                                                 TokenAttemptsOptions options,
                                                                 TokenAttempt attempt) {
  auto log = ops::logger(std::string(options.log_tag));
  std::set<std::string> tried;
  std::optional<Diagnosis> last;
  for (int n = 0; n < kMaxTokenAttempts; ++n) {
    auto lease = tokens.acquire(need, tried);
    if (!lease) break;
    tried.insert(lease->sso());
    if (options.on_lease) options.on_lease(*lease);
    auto run = through_egresses(options, attempt, lease->sso());
    EgressOutcome outcome = co_await std::move(run);
    std::optional<Diagnosis>& failure = outcome.failure;
    // An egress failure says nothing about the account.
    if (!egress_failed(failure) && !(failure && failure->problem == Problem::kNoEgress))
      tokens.report(lease->sso(), need.mode, failure.value_or(Diagnosis{}));
    if (options.call) note_attempt(*options.call, *lease, outcome.egress, failure);
    if (!failure) co_return std::nullopt;
    log->warn("{} with {}: {}", upstream::grok::to_string(failure->problem),
              ops::mask_token(lease->sso()), failure->message);
    last = std::move(failure);
    if (options.may_move && !options.may_move()) break;
    if (!upstream::grok::remedy_for(last->problem).try_another_token) break;
  }
  co_return client_failure(last, tokens, need, options.model);
}

}  // namespace g2a::openai
