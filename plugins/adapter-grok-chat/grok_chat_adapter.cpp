#include "grok_chat_adapter.hpp"

#include "mgw_turn.hpp"
#include "prompt.hpp"
#include "rest_turn.hpp"
#include "turn_request.hpp"

namespace g2a::grok_chat {

std::string GrokChatAdapter::models() {
  return R"([{"id":"grok-chat","kind":"chat","transports":["ws","rest"]}])";
}

std::unique_ptr<g2a::AdapterTurn> GrokChatAdapter::begin(std::string_view request_json,
                                                         std::string& plan) {
  TurnRequest req = parse_turn_request(request_json);
  std::string prompt = flatten_prompt(req.messages, req.continuation.has_value());
  if (req.transport == Transport::kRest) {
    auto turn = std::make_unique<RestTurn>(req, prompt);
    plan = turn->plan();
    return turn;
  }
  auto turn = std::make_unique<MgwTurn>(std::move(req), std::move(prompt));
  plan = turn->plan();
  return turn;
}

}  // namespace g2a::grok_chat
