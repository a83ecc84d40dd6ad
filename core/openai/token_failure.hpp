// What a client hears when no account could answer: 429 with Retry-After when every
// eligible token is cooling down, 503 when none can serve the model, otherwise the status
// the error catalogue gives the last upstream failure. Shared by chat and images.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/chat/token_source.hpp"
#include "core/http/message.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::openai {

struct ClientFailure {
  int status = 502;
  std::string message, type, code;
  std::vector<http::Header> headers;  // retry-after
};

// last: the last upstream failure, nullopt when no token was eligible at all.
ClientFailure client_failure(const std::optional<upstream::grok::Diagnosis>& last,
                             chat::TokenSource& tokens, const chat::TokenRequirement& need,
                             const std::string& model);

}  // namespace g2a::openai
