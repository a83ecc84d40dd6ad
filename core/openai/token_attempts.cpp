#include "core/openai/token_attempts.hpp"

#include <set>

#include "core/calllog/call_record.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/upstream/http_types.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;

namespace {
// The call log keeps the last account tried and how upstream answered it.
void note_attempt(calllog::CallRecord& call, const chat::TokenLease& lease,
                  const std::optional<Diagnosis>& failure) {
  call.sso_full = lease.sso();
  call.token_type = std::string(lease.token_type());
  call.upstream_status = failure ? static_cast<int>(failure->status) : 200;
  call.error_type = failure ? std::string(upstream::grok::to_string(failure->problem)) : "";
  call.error_message = failure ? failure->message : "";
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
    std::optional<Diagnosis> failure;
    try {
      auto call = attempt(lease->sso());
      failure = co_await std::move(call);
    } catch (const upstream::grok::UpstreamError& e) {
      failure = e.diagnosis();
    } catch (const upstream::TransportError& e) {
      failure = Diagnosis{Problem::kTransport, 0, e.what()};
    }
    tokens.report(lease->sso(), need.mode, failure.value_or(Diagnosis{}));
    if (options.call) note_attempt(*options.call, *lease, failure);
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
