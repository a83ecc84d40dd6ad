#include "prompt.hpp"

#include <grok2api/plugin.hpp>

namespace g2a::grok_chat {
namespace {

// Attribute values are escaped so an odd id or name cannot break the markup the model reads.
std::string attr(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '<':
        out += "&lt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string header(const Message& m) {
  if (m.role == "tool" && !m.tool_call_id.empty())
    return "[tool result for " + m.tool_call_id + "]";
  return "[" + m.role + "]";
}

std::string body(const Message& m) {
  std::string text = m.content;
  if (m.tool_calls.empty()) return text;
  if (!text.empty()) text += '\n';
  text += "<tool_calls>\n";
  for (const auto& call : m.tool_calls) {
    text += "<tool_call id=\"" + attr(call.id) + "\" name=\"" + attr(call.name) + "\">";
    text += call.arguments;
    text += "</tool_call>\n";
  }
  text += "</tool_calls>";
  return text;
}

}  // namespace

std::string flatten_prompt(const std::vector<Message>& messages, bool continuing) {
  size_t first = 0;
  if (continuing) {
    for (size_t i = messages.size(); i-- > 0;) {
      if (messages[i].role == "assistant") {
        first = i + 1;
        break;
      }
    }
    if (first == messages.size())
      throw g2a::Error(G2A_BAD_ARGUMENT,
                       "adapter-grok-chat: a continuation needs a message after the last "
                       "assistant message");
  }
  std::string out;
  for (size_t i = first; i < messages.size(); ++i)
    out += header(messages[i]) + "\n" + body(messages[i]) + "\n\n";
  return out;
}

}  // namespace g2a::grok_chat
