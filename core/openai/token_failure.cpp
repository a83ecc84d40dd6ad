#include "core/openai/token_failure.hpp"

#include <algorithm>

#include "core/runtime/clock.hpp"

namespace g2a::openai {

namespace {

// Seconds until some eligible token is usable again (at least 1), if the pool knows.
std::optional<int64_t> retry_after_s(chat::TokenSource& tokens,
                                     const chat::TokenRequirement& need) {
  auto when = tokens.next_available_ms(need);
  if (!when) return std::nullopt;
  int64_t now = runtime::now_ms();
  return std::max<int64_t>(1, (*when - now + 999) / 1000);
}

}  // namespace

ClientFailure client_failure(const std::optional<upstream::grok::Diagnosis>& last,
                             chat::TokenSource& tokens, const chat::TokenRequirement& need,
                             const std::string& model) {
  ClientFailure f;
  if (last) {
    auto remedy = upstream::grok::remedy_for(last->problem);
    f.status = remedy.client_status;
    f.message = "Upstream error (" + std::string(upstream::grok::to_string(last->problem)) +
                "): " + last->message;
    f.type = remedy.client_type;
    f.code = remedy.client_code;
    // A rate-limited token has just been cooled down: its window says when to come back.
    if (f.status == 429)
      if (auto after = retry_after_s(tokens, need))
        f.headers.push_back({"retry-after", std::to_string(*after)});
    return f;
  }
  if (auto after = retry_after_s(tokens, need)) {
    f.status = 429;
    f.message = "Every account that can serve `" + model + "` is rate-limited; try again later.";
    f.type = "rate_limit_error";
    f.code = "rate_limit_exceeded";
    f.headers.push_back({"retry-after", std::to_string(*after)});
    return f;
  }
  f.status = 503;
  f.message = "No usable account for `" + model + "`.";
  f.type = "server_error";
  f.code = "no_available_token";
  return f;
}

}  // namespace g2a::openai
