// The OpenAI side of chat: request parsing with errors that name the field, the SSE chunks
// the SDKs expect, and the model table.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/openai/chat_output.hpp"
#include "core/openai/chat_request.hpp"
#include "core/openai/model_table.hpp"

namespace g2a::openai {
namespace {
namespace json = boost::json;

std::string param_of(const std::string& body) {
  try {
    parse_chat_request(body);
  } catch (const RequestError& e) {
    return e.param();
  }
  return "<no error>";
}

// The JSON payloads of an SSE text ("data: ...\n\n" events).
std::vector<std::string> events(const std::string& sse) {
  std::vector<std::string> out;
  size_t pos = 0, end;
  while ((end = sse.find("\n\n", pos)) != std::string::npos) {
    std::string ev = sse.substr(pos, end - pos);
    if (ev.rfind("data: ", 0) == 0) out.push_back(ev.substr(6));
    pos = end + 2;
  }
  return out;
}

TEST(ChatRequest, ParsesWhatTheSdksSend) {
  auto r = parse_chat_request(
      R"({"model":"grok-4-fast","messages":[{"role":"developer","content":"be brief"},)"
      R"({"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},)"
      R"({"role":"tool","tool_call_id":"c1","content":"42"}],)"
      R"("stream":true,"stream_options":{"include_usage":true},"max_tokens":5,"temperature":0.2,"future_field":1})");
  EXPECT_EQ(r.model, "grok-4-fast");
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_EQ(r.messages[1].text, "hi");
  EXPECT_EQ(r.messages[1].image_urls.size(), 1u);
  EXPECT_FALSE(r.messages[2].tool_calls_json.empty());
  EXPECT_EQ(r.messages[3].tool_call_id, "c1");
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_EQ(r.max_tokens, 5);
}

TEST(ChatRequest, ErrorsNameTheField) {
  EXPECT_EQ(param_of("not json"), "");
  EXPECT_EQ(param_of(R"({"messages":[]})"), "model");
  EXPECT_EQ(param_of(R"({"model":"m"})"), "messages");
  EXPECT_EQ(param_of(R"({"model":"m","messages":[]})"), "messages");
  EXPECT_EQ(param_of(R"({"model":"m","messages":[{"role":"robot","content":"x"}]})"),
            "messages[0].role");
  EXPECT_EQ(
      param_of(R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio"}]}]})"),
      "messages[0].content[0].type");
  EXPECT_EQ(param_of(R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"})"),
            "stream");
  EXPECT_EQ(
      param_of(
          R"({"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}})"),
      "response_format.type");
}

TEST(ChatOutput, StreamHasOneIdRoleFirstFinishLastUsageThenDone) {
  ChatOutput out("grok-4-fast", ReasoningFormat::kThinkTags);
  // One statement each: the operands of + are evaluated in no fixed order.
  std::string sse = out.start();
  sse += out.reasoning("hmm");
  sse += out.text("Hello");
  sse += out.text(" world");
  sse += out.finish("stop");
  sse += out.usage(10);
  sse += ChatOutput::done();
  auto evs = events(sse);
  ASSERT_GE(evs.size(), 6u);
  EXPECT_EQ(evs.back(), "[DONE]");
  std::string id;
  std::string content;
  for (size_t i = 0; i + 1 < evs.size(); ++i) {
    auto v = json::parse(evs[i]).as_object();
    if (id.empty()) id = std::string(v.at("id").as_string());
    EXPECT_EQ(v.at("id").as_string(), id);
    EXPECT_EQ(v.at("object"), "chat.completion.chunk");
    const auto& choices = v.at("choices").as_array();
    if (choices.empty()) {  // the usage chunk comes last, before [DONE]
      EXPECT_EQ(i, evs.size() - 2);
      EXPECT_EQ(v.at("usage").at("prompt_tokens"), 10);
      continue;
    }
    const auto& c = choices[0].as_object();
    if (i == 0) {
      EXPECT_EQ(c.at("delta").at("role"), "assistant");
    }
    if (auto* t = c.at("delta").as_object().if_contains("content")) content += t->as_string();
    bool last_choice_chunk = i == evs.size() - 3;
    EXPECT_EQ(c.at("finish_reason").is_null(), !last_choice_chunk) << evs[i];
  }
  EXPECT_EQ(content, "<think>\nhmm\n</think>\nHello world");
}

TEST(ChatOutput, ReasoningContentAndHiddenThinking) {
  ChatOutput rc("m", ReasoningFormat::kReasoningContent);
  auto ev = events(rc.reasoning("why"));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(json::parse(ev[0]).at("choices").at(0).at("delta").at("reasoning_content"), "why");
  rc.text("answer");
  auto done = json::parse(rc.completion("stop", 3));
  EXPECT_EQ(done.at("choices").at(0).at("message").at("content"), "answer");
  EXPECT_EQ(done.at("choices").at(0).at("message").at("reasoning_content"), "why");
  ChatOutput hidden("m", ReasoningFormat::kHidden);
  EXPECT_EQ(hidden.reasoning("secret"), "");
}

TEST(ChatOutput, ErrorEventIsWhatTheSdksRaise) {
  auto ev = events(ChatOutput::error_event("mid-stream fail", "server_error", "upstream_error"));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(json::parse(ev[0]).at("error").at("message"), "mid-stream fail");
  EXPECT_EQ(ChatOutput::keep_alive().front(), ':');
}

TEST(ModelTable, ProIdsAreAliasesOfModes) {
  auto t = ModelTable::defaults();
  for (const char* id :
       {"grok-3-fast", "grok-4-fast", "grok-4-fast-expert", "grok-4-expert", "grok-4-heavy",
        "grok-4.1", "grok-4.1-thinking", "grok-4-1-fast-non-reasoning", "grok-imagine-0.9",
        "sora-2", "sora-2-pro", "grok4.1"})
    EXPECT_NE(t.find(id), nullptr) << id;
  EXPECT_FALSE(t.find("grok4.1")->listed);
  EXPECT_EQ(t.find("grok-4-heavy")->mode, "heavy");
  EXPECT_EQ(t.find("grok-4-heavy")->tiers, std::vector<std::string>{"heavy"});
  EXPECT_EQ(t.find("sora-2")->kind, ModelKind::kVideo);
  EXPECT_THROW(t.put({"x", ModelKind::kChat, "turbo", {"basic"}, true, ""}), std::invalid_argument);
  EXPECT_THROW(t.put({"x", ModelKind::kChat, "fast", {"gold"}, true, ""}), std::invalid_argument);
}

}  // namespace
}  // namespace g2a::openai
