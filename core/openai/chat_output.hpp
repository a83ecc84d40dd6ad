// What a chat completion looks like to the SDKs (spec openai-surface §2.2-§2.3): SSE
// chunks with one id, the role in the first delta, finish_reason on the last, an optional
// usage chunk, and [DONE]; or one chat.completion object.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/openai/tool_emulation.hpp"

namespace g2a::openai {

enum class ReasoningFormat { kThinkTags, kReasoningContent, kHidden };

class ChatOutput {
 public:
  ChatOutput(std::string model, ReasoningFormat reasoning);

  const std::string& id() const { return id_; }

  // Streaming: each returns a whole SSE event ("data: ...\n\n"), or "" when nothing
  // needs sending.
  std::string start();                       // role:"assistant"
  std::string text(std::string_view delta);  // answer text
  std::string reasoning(std::string_view delta);
  // One chunk with delta.tool_calls (every call, each whole); completion() then answers
  // them instead of content.
  std::string tool_calls(const std::vector<ToolCall>& calls);
  std::string finish(std::string_view finish_reason);
  std::string usage(int64_t prompt_tokens);  // the usage chunk (choices: [])
  static std::string done() { return "data: [DONE]\n\n"; }
  static std::string keep_alive() { return ": keep-alive\n\n"; }
  // An error after the stream began: {"error":{...}}, which the SDKs raise.
  static std::string error_event(std::string_view message, std::string_view type,
                                 std::string_view code);

  // Non-streaming: the whole chat.completion (uses what text()/reasoning() collected).
  std::string completion(std::string_view finish_reason, int64_t prompt_tokens) const;

  const std::string& collected_text() const { return content_; }

 private:
  std::string chunk(const std::string& delta_json, std::string_view finish_reason) const;

  std::string id_;
  int64_t created_;
  std::string model_;
  ReasoningFormat reasoning_format_;
  bool include_usage_null_ = false;
  bool in_think_ = false;
  std::string content_;    // as the client sees it (with <think> tags when so chosen)
  std::string reasoning_;  // reasoning_content, when that is the format
  std::vector<ToolCall> calls_;
};

}  // namespace g2a::openai
