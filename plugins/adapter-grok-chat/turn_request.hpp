// The host's turn request (plugin.h, "Turn request (chat)") read into plain structs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render_tags.hpp"

namespace g2a::grok_chat {

enum class Transport { kWs, kRest };

struct ToolCall {
  std::string id, name, arguments;
};

struct Message {
  std::string role, content, tool_call_id;
  std::vector<ToolCall> tool_calls;
};

struct Continuation {
  std::string conversation_id, parent_response_id;
};

struct TurnOptions {
  bool temporary = true;
  int image_generation_count = 2;
  bool disable_search = false;
  bool enable_image_generation = true;
  std::vector<std::string> filtered_tags = default_filtered_tags();  // TagFilter
};

struct TurnRequest {
  std::string model, mode;
  Transport transport = Transport::kWs;
  std::vector<Message> messages;
  std::vector<std::string> attachments;
  std::optional<Continuation> continuation;
  TurnOptions options;
};

// Throws g2a::Error(G2A_BAD_ARGUMENT) naming the first field that is wrong.
TurnRequest parse_turn_request(std::string_view json);

}  // namespace g2a::grok_chat
