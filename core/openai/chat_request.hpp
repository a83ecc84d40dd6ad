// POST /v1/chat/completions bodies as the official SDKs send them (spec openai-surface §2.1):
// parsed, validated with errors that name the field, unknown fields ignored.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::openai {

// A 400 for the client: message, and the offending parameter ("messages[1].content").
class RequestError : public std::runtime_error {
 public:
  RequestError(const std::string& message, std::string param, std::string code = "invalid_value")
      : std::runtime_error(message), param_(std::move(param)), code_(std::move(code)) {}
  const std::string& param() const { return param_; }
  const std::string& code() const { return code_; }

 private:
  std::string param_;
  std::string code_;
};

struct ChatMessage {
  std::string role;                       // system (developer folds into it), user, assistant, tool
  std::string text;                       // the text parts joined
  std::vector<std::string> image_urls;    // http(s) or data: URLs, in order
  std::vector<std::string> image_params;  // "messages[i].content[j].image_url", one per URL
  std::string name;
  std::string tool_call_id;     // role tool
  std::string tool_calls_json;  // role assistant: the tool_calls array as JSON, or ""
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  bool stream = false;
  bool include_usage = false;
  std::string tools_json;            // the tools array as JSON, or ""
  std::string tool_choice_json;      // as given, or ""
  std::string response_format;       // "", "text", "json_object", "json_schema"
  std::string response_schema_json;  // json_schema.schema, or ""
  std::optional<int64_t> max_tokens;
};

ChatRequest parse_chat_request(std::string_view body);

// A rough token count (about four characters a token): the gateway cannot see grok.com's
// tokenizer, so usage figures are estimates.
int64_t estimate_tokens(std::string_view text);

}  // namespace g2a::openai
