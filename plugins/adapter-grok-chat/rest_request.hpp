// The REST chat call (spec §2.2): POST /rest/app-chat/conversations/new, or
// /rest/app-chat/conversations/<id>/responses with responseId for a follow-up turn.
#pragma once

#include <string>
#include <string_view>

#include "turn_request.hpp"

namespace g2a::grok_chat {

struct RestCall {
  std::string path;
  std::string body;  // JSON text
};

RestCall rest_chat_call(const TurnRequest& req, std::string_view prompt);

}  // namespace g2a::grok_chat
