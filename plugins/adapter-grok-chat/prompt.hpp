// grok.com takes one text per turn, so the conversation is flattened the way the site's own
// clients do it (spec §2.1 "Prompt construction").
#pragma once

#include <string>
#include <vector>

#include "turn_request.hpp"

namespace g2a::grok_chat {

// Every message as "[<role>]\n<text>\n\n", in order. Assistant tool calls follow the text as
// <tool_calls><tool_call id=".." name="..">arguments</tool_call></tool_calls>; a tool message
// is headed "[tool result for <id>]". When `continuing`, the site already holds the history:
// only the messages after the last assistant message are sent. Throws g2a::Error
// (G2A_BAD_ARGUMENT) when that leaves nothing to send.
std::string flatten_prompt(const std::vector<Message>& messages, bool continuing);

}  // namespace g2a::grok_chat
