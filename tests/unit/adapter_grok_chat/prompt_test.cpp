// Flattening OpenAI messages into grok.com's single prompt text.
#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "prompt.hpp"
#include "turn_request.hpp"

namespace g2a::test {
namespace {

using g2a::grok_chat::flatten_prompt;
using g2a::grok_chat::parse_turn_request;

std::string flat(std::string_view messages_json, bool continuing = false) {
  std::string req = R"({"mode":"fast","messages":)" + std::string(messages_json) + "}";
  return flatten_prompt(parse_turn_request(req).messages, continuing);
}

TEST(GrokChatPrompt, EveryMessageIsRoleThenText) {
  EXPECT_EQ(flat(R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
                     {"role":"assistant","content":"Hello!"},{"role":"user","content":"Bye"}])"),
            "[system]\nBe brief.\n\n[user]\nHi\n\n[assistant]\nHello!\n\n[user]\nBye\n\n");
}

TEST(GrokChatPrompt, ContentPartsKeepTheirText) {
  EXPECT_EQ(flat(R"([{"role":"user","content":[{"type":"text","text":"look"},
                     {"type":"image_url","image_url":{"url":"data:..."}},{"type":"text","text":"here"}]}])"),
            "[user]\nlook\nhere\n\n");
  EXPECT_EQ(flat(R"([{"role":"user","content":null}])"), "[user]\n\n\n");
}

TEST(GrokChatPrompt, ToolCallsAndResultsAreReadableText) {
  EXPECT_EQ(flat(R"([{"role":"user","content":"Weather in Paris?"},
               {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"{\"temp\":21}"}])"),
            "[user]\nWeather in Paris?\n\n"
            "[assistant]\n<tool_calls>\n<tool_call id=\"call_1\" "
            "name=\"get_weather\">{\"city\":\"Paris\"}"
            "</tool_call>\n</tool_calls>\n\n"
            "[tool result for call_1]\n{\"temp\":21}\n\n");
}

TEST(GrokChatPrompt, ToolCallTextAndAttributesAreEscaped) {
  EXPECT_EQ(flat(R"([{"role":"assistant","content":"Let me check.","tool_calls":[
                     {"id":"a\"b","function":{"name":"x<y","arguments":{"k":1}}}]}])"),
            "[assistant]\nLet me check.\n<tool_calls>\n<tool_call id=\"a&quot;b\" name=\"x&lt;y\">"
            "{\"k\":1}</tool_call>\n</tool_calls>\n\n");
}

TEST(GrokChatPrompt, ContinuationsSendOnlyWhatFollowsTheLastAnswer) {
  std::string messages = R"([{"role":"system","content":"S"},{"role":"user","content":"one"},
      {"role":"assistant","content":"A1"},{"role":"user","content":"two"},
      {"role":"assistant","content":"A2"},{"role":"tool","tool_call_id":"t","content":"R"},
      {"role":"user","content":"three"}])";
  EXPECT_EQ(flat(messages, true), "[tool result for t]\nR\n\n[user]\nthree\n\n");
  // Without an assistant message, everything is new.
  EXPECT_EQ(flat(R"([{"role":"user","content":"x"}])", true), "[user]\nx\n\n");
  EXPECT_THROW(flat(R"([{"role":"user","content":"x"},{"role":"assistant","content":"y"}])", true),
               g2a::Error);
}

}  // namespace
}  // namespace g2a::test
