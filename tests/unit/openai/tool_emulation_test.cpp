// Emulated tools and JSON answers: the instruction the model reads, the tool calls parsed
// back from its answer, and the response_format check.
#include "core/openai/tool_emulation.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/openai/chat_output.hpp"
#include "core/openai/chat_request.hpp"
#include "core/openai/json_answer.hpp"

namespace g2a::openai {
namespace {
namespace json = boost::json;

const std::string kTools =
    R"([{"type":"function","function":{"name":"get_weather","description":"Weather now",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},)"
    R"({"type":"function","function":{"name":"add","parameters":{"type":"object"}}}])";

TEST(ToolChoice, ReadsEveryShape) {
  EXPECT_EQ(parse_tool_choice("", kTools).kind, ToolChoice::kAuto);
  EXPECT_EQ(parse_tool_choice(R"("auto")", kTools).kind, ToolChoice::kAuto);
  EXPECT_EQ(parse_tool_choice(R"("none")", kTools).kind, ToolChoice::kNone);
  EXPECT_TRUE(parse_tool_choice(R"("required")", kTools).forced());
  auto f = parse_tool_choice(R"({"type":"function","function":{"name":"add"}})", kTools);
  EXPECT_EQ(f.kind, ToolChoice::kFunction);
  EXPECT_EQ(f.function, "add");
}

TEST(ToolChoice, RejectsUnknownShapesAndFunctions) {
  EXPECT_THROW(parse_tool_choice(R"("sometimes")", kTools), RequestError);
  EXPECT_THROW(parse_tool_choice(R"({"type":"function","function":{"name":"nope"}})", kTools),
               RequestError);
  EXPECT_THROW(parse_tool_choice(R"("required")", ""), RequestError);
}

TEST(ToolInstruction, ListsTheToolsAndTheFormat) {
  std::string text = tool_instruction(kTools, ToolChoice{});
  EXPECT_NE(text.find(R"("name":"get_weather")"), std::string::npos);
  EXPECT_NE(text.find("Weather now"), std::string::npos);
  EXPECT_NE(text.find(R"("required":["city"])"), std::string::npos);
  EXPECT_NE(text.find("<tool_call>{\"name\":"), std::string::npos);
  EXPECT_NE(text.find("answer the user normally"), std::string::npos);
}

TEST(ToolInstruction, NoneAndForcedChoices) {
  EXPECT_EQ(tool_instruction(kTools, ToolChoice{ToolChoice::kNone, ""}), "");
  EXPECT_EQ(tool_instruction("", ToolChoice{}), "");
  EXPECT_NE(tool_instruction(kTools, ToolChoice{ToolChoice::kRequired, ""}).find("must call"),
            std::string::npos);
  std::string f = tool_instruction(kTools, ToolChoice{ToolChoice::kFunction, "add"});
  EXPECT_NE(f.find("must call the tool \"add\""), std::string::npos);
}

TEST(ParseToolCalls, BlocksWithWhitespaceAndFences) {
  std::string answer =
      "Sure.\n<tool_call>\n```json\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}\n"
      "```\n</tool_call>\n<tool_call>{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":1}\"}</"
      "tool_call>";
  auto calls = parse_tool_calls(answer, kTools, ToolChoice{});
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].name, "get_weather");
  EXPECT_EQ(json::parse(calls[0].arguments), json::parse(R"({"city":"Paris"})"));
  EXPECT_EQ(calls[1].name, "add");
  EXPECT_EQ(calls[1].arguments, R"({"a":1})");
  EXPECT_EQ(calls[0].id.size(), 5u + 24u);
  EXPECT_EQ(calls[0].id.rfind("call_", 0), 0u);
  EXPECT_NE(calls[0].id, calls[1].id);
}

TEST(ParseToolCalls, TheAdaptersHistoryForm) {
  auto calls =
      parse_tool_calls(R"(<tool_call id="x" name="add">{"a":2}</tool_call>)", kTools, ToolChoice{});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].arguments, R"({"a":2})");
}

TEST(ParseToolCalls, DropsUnknownToolsAndBadArguments) {
  EXPECT_TRUE(parse_tool_calls(R"(<tool_call>{"name":"rm","arguments":{}}</tool_call>)", kTools,
                               ToolChoice{})
                  .empty());
  EXPECT_TRUE(parse_tool_calls(R"(<tool_call>{"name":"add","arguments":[1]}</tool_call>)", kTools,
                               ToolChoice{})
                  .empty());
  EXPECT_TRUE(parse_tool_calls("<tool_call>not json</tool_call>", kTools, ToolChoice{}).empty());
  EXPECT_TRUE(parse_tool_calls("It is sunny.", kTools, ToolChoice{}).empty());
}

TEST(ParseToolCalls, BareObjectOnlyWhenForced) {
  std::string bare = "```json\n{\"name\":\"add\",\"arguments\":{\"a\":1}}\n```";
  EXPECT_TRUE(parse_tool_calls(bare, kTools, ToolChoice{}).empty());
  EXPECT_EQ(parse_tool_calls(bare, kTools, ToolChoice{ToolChoice::kRequired, ""}).size(), 1u);
  EXPECT_TRUE(parse_tool_calls(bare, kTools, ToolChoice{ToolChoice::kNone, ""}).empty());
}

TEST(JsonAnswer, InstructionNamesTheSchema) {
  EXPECT_EQ(json_instruction("text", ""), "");
  EXPECT_NE(json_instruction("json_object", "").find("one JSON object"), std::string::npos);
  std::string s = json_instruction("json_schema", R"({"required":["a"]})");
  EXPECT_NE(s.find(R"(<json_schema>
{"required":["a"]})"),
            std::string::npos);
}

TEST(JsonAnswer, StripsFencesAndChecksObjects) {
  auto ok = check_json_answer("```json\n{\"a\":1}\n```", "");
  EXPECT_EQ(ok.error, "");
  EXPECT_EQ(ok.text, R"({"a":1})");
  EXPECT_NE(check_json_answer("Here: {\"a\":1}", "").error, "");
  EXPECT_NE(check_json_answer("[1,2]", "").error, "");
}

TEST(JsonAnswer, SchemaRequiredKeysAndPrimitiveTypes) {
  std::string schema =
      R"({"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},)"
      R"("tags":{"type":["array","null"]}},"required":["name"]})";
  EXPECT_EQ(check_json_answer(R"({"name":"x","age":3,"tags":null})", schema).error, "");
  EXPECT_NE(check_json_answer(R"({"age":3})", schema).error.find("'name'"), std::string::npos);
  EXPECT_NE(check_json_answer(R"({"name":"x","age":"3"})", schema).error.find("'age'"),
            std::string::npos);
  EXPECT_NE(check_json_answer(R"({"name":"x","tags":1})", schema).error, "");
}

TEST(ChatOutputTools, StreamChunkAndCompletion) {
  ChatOutput out("grok-4-fast", ReasoningFormat::kHidden);
  std::vector<ToolCall> calls{{"call_1", "add", R"({"a":1})"}};
  std::string sse = out.tool_calls(calls);
  ASSERT_EQ(sse.rfind("data: ", 0), 0u);
  auto chunk = json::parse(sse.substr(6)).as_object();
  auto& tc = chunk["choices"].as_array()[0].as_object()["delta"].as_object()["tool_calls"];
  EXPECT_EQ(tc.as_array()[0].as_object()["index"], 0);
  EXPECT_EQ(tc.as_array()[0].as_object()["type"], "function");
  EXPECT_EQ(tc.as_array()[0].as_object()["function"].as_object()["arguments"], R"({"a":1})");
  auto done = json::parse(out.completion("tool_calls", 5)).as_object();
  auto& choice = done["choices"].as_array()[0].as_object();
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  EXPECT_TRUE(choice["message"].as_object()["content"].is_null());
  EXPECT_EQ(choice["message"].as_object()["tool_calls"].as_array()[0].as_object()["id"], "call_1");
}

}  // namespace
}  // namespace g2a::openai
