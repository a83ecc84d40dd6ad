// The meaning of one value of the REST chat NDJSON stream (spec §2.2): conversation and
// response ids, answer and thinking tokens, search cards and results, citation and image
// cards, streamed images, errors, and the final modelResponse that ends the turn.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "answer_stream.hpp"

namespace g2a::grok_chat {

struct RestIds {
  std::string conversation_id, response_id;
};

// Reports what `v` says into `out`; completes or fails the turn when it says so.
void apply_rest_value(const boost::json::value& v, RestIds& ids, AnswerStream& out);

}  // namespace g2a::grok_chat
