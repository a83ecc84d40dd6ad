// The client frames of the chat gateway WebSocket "mgw" (spec §2.1), exactly as the site
// sends them: {"session_id":"<conversation>","event":{"type":...}}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "turn_request.hpp"

namespace g2a::grok_chat {

// session.create with the mode as session.model. A continuation carries the conversation
// as envelope session_id and x_grok conversation_id/load_existing/needs_history.
std::string session_create_frame(const TurnRequest& req, std::string_view event_id);

// conversation.item.create: file mentions for the attachments, then the prompt text.
std::string item_create_frame(std::string_view session_id, const TurnRequest& req,
                              std::string_view prompt, std::string_view client_message_id,
                              int64_t now_ms);

// response.create: asks for the answer to the item just sent.
std::string response_create_frame(std::string_view session_id, int64_t now_ms);

}  // namespace g2a::grok_chat
