// Tool calling for a model that has none (spec grok-upstream-current §2.1): the tools are
// described in an instruction the gateway adds to the prompt, and the answer is parsed
// back into OpenAI tool_calls (spec openai-surface §2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace g2a::openai {

struct ToolCall {
  std::string id;         // "call_" + 24 alphanumerics
  std::string name;       // one of the tools given
  std::string arguments;  // a JSON object, serialised
};

// How tool_choice shapes the turn: kNone sends no tools at all, kRequired asks for at
// least one call, kFunction for a call of `function`.
struct ToolChoice {
  enum Kind { kAuto, kNone, kRequired, kFunction } kind = kAuto;
  std::string function;
  bool forced() const { return kind == kRequired || kind == kFunction; }
};

// Reads tool_choice ("" means auto); throws RequestError for a shape it does not know or
// a function that is not among the tools.
ToolChoice parse_tool_choice(std::string_view tool_choice_json, std::string_view tools_json);

// The system instruction that describes the tools and the <tool_call> answer format;
// "" when there are no tools or the choice is none.
std::string tool_instruction(std::string_view tools_json, const ToolChoice& choice);

// The tool calls in a final answer: <tool_call>{"name":..,"arguments":{..}}</tool_call>
// blocks (fences and whitespace tolerated), or, when a call is forced, one bare
// {"name","arguments"} object. Calls of unknown tools or with non-object arguments are
// dropped; an empty result means the answer is plain text.
std::vector<ToolCall> parse_tool_calls(std::string_view answer, std::string_view tools_json,
                                       const ToolChoice& choice);

std::string new_tool_call_id();

}  // namespace g2a::openai
