// The mgw client frames: session.create in the plan, then conversation.item.create and
// response.create only once session.created (for our event_id) and conversation.attached
// have both arrived, shaped as tests/simulator/lib/mgw.js requires.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "chat_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class GrokChatMgwHandshake : public ::testing::Test {
 protected:
  TestHost host;
  AdapterClient client{host};
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

TEST_F(GrokChatMgwHandshake, PlanOpensTheGatewayWithSessionCreate) {
  auto turn = client.begin(chat_request(
      "ws",
      {{"mode", "expert"}, {"options", {{"temporary", false}, {"image_generation_count", 3}}}}));
  ASSERT_TRUE(turn);
  auto plan = turn->plan();
  EXPECT_EQ(plan.at("transport"), "ws");
  EXPECT_EQ(plan.at("call"), "chat_gateway");
  auto frames = plan_frames(*turn);
  ASSERT_EQ(frames.size(), 1u);
  const auto& f = frames[0];
  EXPECT_FALSE(f.contains("session_id")) << "the first frame of a new chat has no session";
  const auto& event = f.at("event").as_object();
  EXPECT_EQ(event.at("type"), "session.create");
  EXPECT_TRUE(starts_with(event.at("event_id").as_string(), "evt_init_"));
  EXPECT_EQ(event.at("event_id").as_string().size(), std::string("evt_init_").size() + 36);
  EXPECT_EQ(event.at("session").at("model"), "expert");
  json::object expected{
      {"protocol_capabilities", json::array{"conversation_attached", "custom_methods_v1"}},
      {"use_chunk", true},
      {"enable_side_by_side", true},
      {"force_side_by_side", false},
      {"enable_image_generation", true},
      {"image_generation_count", 3},
      {"disable_text_follow_ups", false},
      {"disable_artifact", true},
      {"force_concise", false},
      {"keep_context", false},
      {"is_temporary", false},
      {"disable_memory", true}};
  EXPECT_EQ(event.at("session").at("x_grok").as_object(), expected)
      << json::serialize(event.at("session").at("x_grok"));
  // Heartbeat hint for the host (spec: a ping every 25 s).
  EXPECT_EQ(plan.at("heartbeat").at("interval_ms"), 25000);
  auto ping = to_object(plan.at("heartbeat").at("frame").as_string());
  EXPECT_EQ(ping.at("event").at("type"), "ping");
}

TEST_F(GrokChatMgwHandshake, EveryTurnHasItsOwnEventId) {
  auto a = client.begin(chat_request("ws"));
  auto b = client.begin(chat_request("ws"));
  EXPECT_NE(plan_frames(*a)[0].at("event").at("event_id"),
            plan_frames(*b)[0].at("event").at("event_id"));
}

TEST_F(GrokChatMgwHandshake, ItemAndResponseFollowBothAcknowledgements) {
  auto turn = client.begin(chat_request("ws"));
  std::string event_id(plan_frames(*turn)[0].at("event").at("event_id").as_string());
  // An ack of somebody else's session.create does not count.
  EXPECT_TRUE(sends_of(turn->feed(session_created("conv-1", "evt_init_other"))).empty());
  EXPECT_TRUE(sends_of(turn->feed(conversation_attached("conv-1"))).empty());
  auto actions = turn->feed(session_created("conv-1", event_id));
  auto sends = sends_of(actions);
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(to_object(sends[0]).at("event").at("type"), "conversation.item.create");
  EXPECT_EQ(to_object(sends[1]).at("event").at("type"), "response.create");
  EXPECT_FALSE(closes(actions));
  // Later acknowledgements send nothing again.
  EXPECT_TRUE(sends_of(turn->feed(conversation_attached("conv-1"))).empty());
}

TEST_F(GrokChatMgwHandshake, AttachedBeforeCreatedAlsoWorks) {
  auto turn = client.begin(chat_request("ws"));
  auto sends = handshake(*turn, "conv-2");
  ASSERT_EQ(sends.size(), 2u);
}

TEST_F(GrokChatMgwHandshake, ItemAndResponseFramesHaveTheSimulatorsShape) {
  auto turn = client.begin(chat_request(
      "ws",
      {{"messages", json::array{json::object{{"role", "system"}, {"content", "Be brief."}},
                                json::object{{"role", "user"}, {"content", "hello there"}}}}}));
  auto sends = handshake(*turn, "conv-3");
  ASSERT_EQ(sends.size(), 2u);
  auto item = to_object(sends[0]);
  EXPECT_EQ(item.at("session_id"), "conv-3");
  const auto& event = item.at("event").as_object();
  EXPECT_TRUE(starts_with(event.at("event_id").as_string(), "evt_msg_"));
  EXPECT_FALSE(event.contains("parent_response_id"));
  EXPECT_FALSE(event.contains("file_attachment_ids"));
  const auto& it = event.at("item").as_object();
  EXPECT_EQ(it.at("type"), "message");
  EXPECT_EQ(it.at("role"), "user");
  EXPECT_FALSE(it.contains("file_attachment_ids"));
  EXPECT_EQ(it.at("x_grok").at("client_message_id").as_string().size(), 36u);
  json::array chunks{
      json::object{{"text", {{"text", "[system]\nBe brief.\n\n[user]\nhello there\n\n"}}}}};
  EXPECT_EQ(it.at("x_grok").at("input_chunks").as_array(), chunks);

  auto resp = to_object(sends[1]);
  EXPECT_EQ(resp.at("session_id"), "conv-3");
  EXPECT_EQ(resp.at("event").as_object().size(), 2u) << "type and event_id only";
  EXPECT_EQ(resp.at("event").at("type"), "response.create");
  EXPECT_TRUE(starts_with(resp.at("event").at("event_id").as_string(), "evt_resp_"));
}

TEST_F(GrokChatMgwHandshake, AttachmentsAreMentionedThenListedTwice) {
  auto turn = client.begin(chat_request("ws", {{"attachments", json::array{"file-a", "file-b"}}}));
  auto sends = handshake(*turn, "conv-4");
  ASSERT_EQ(sends.size(), 2u);
  auto event = to_object(sends[0]).at("event").as_object();
  json::array ids{"file-a", "file-b"};
  EXPECT_EQ(event.at("file_attachment_ids").as_array(), ids);
  EXPECT_EQ(event.at("item").at("file_attachment_ids").as_array(), ids);
  const auto& chunks = event.at("item").at("x_grok").at("input_chunks").as_array();
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].at("mention").at("target").at("file_mention").at("file_id"), "file-a");
  EXPECT_EQ(chunks[1].at("mention").at("target").at("file_mention").at("file_id"), "file-b");
  EXPECT_EQ(chunks[2].at("text").at("text"), "[user]\nhello there\n\n");
}

TEST_F(GrokChatMgwHandshake, ContinuationFramesNameTheConversationAndParent) {
  json::array messages{json::object{{"role", "system"}, {"content", "Be brief."}},
                       json::object{{"role", "user"}, {"content", "first"}},
                       json::object{{"role", "assistant"}, {"content", "You said: first"}},
                       json::object{{"role", "user"}, {"content", "second"}}};
  auto turn = client.begin(chat_request(
      "ws", {{"messages", messages},
             {"continuation", {{"conversation_id", "conv-9"}, {"parent_response_id", "resp-1"}}}}));
  ASSERT_TRUE(turn);
  auto init = plan_frames(*turn)[0];
  EXPECT_EQ(init.at("session_id"), "conv-9");
  const auto& x_grok = init.at("event").at("session").at("x_grok").as_object();
  EXPECT_EQ(x_grok.at("conversation_id"), "conv-9");
  EXPECT_EQ(x_grok.at("load_existing"), true);
  EXPECT_EQ(x_grok.at("needs_history"), false);
  EXPECT_FALSE(x_grok.contains("keep_context"));
  EXPECT_FALSE(x_grok.contains("is_temporary"));
  EXPECT_FALSE(x_grok.contains("disable_memory"));

  auto sends = handshake(*turn, "conv-9");
  ASSERT_EQ(sends.size(), 2u);
  auto event = to_object(sends[0]).at("event").as_object();
  EXPECT_EQ(event.at("parent_response_id"), "resp-1");
  EXPECT_EQ(event.at("item").at("x_grok").at("input_chunks").at(0).at("text").at("text"),
            "[user]\nsecond\n\n");
  EXPECT_EQ(to_object(sends[1]).at("session_id"), "conv-9");
}

TEST_F(GrokChatMgwHandshake, AnotherConversationAttachedToAContinuationFails) {
  auto turn = client.begin(chat_request(
      "ws", {{"messages", json::array{json::object{{"role", "assistant"}, {"content", "a"}},
                                      json::object{{"role", "user"}, {"content", "b"}}}},
             {"continuation", {{"conversation_id", "conv-9"}, {"parent_response_id", "r"}}}}));
  std::string event_id(plan_frames(*turn)[0].at("event").at("event_id").as_string());
  turn->feed(session_created("conv-other", event_id));
  auto actions = turn->feed(conversation_attached("conv-other"));
  EXPECT_TRUE(sends_of(actions).empty());
  auto events = events_of(actions);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("code"), "conversation_mismatch");
  EXPECT_TRUE(closes(actions));
}

TEST_F(GrokChatMgwHandshake, AModeRefusalDuringTheHandshakeIsAnUpstreamError) {
  auto turn = client.begin(chat_request("ws", {{"mode", "heavy"}}));
  auto actions = turn->feed(
      R"({"event":{"type":"error","error":{"code":"permission_denied","message":"Mode heavy is not available on your plan [WKE=unauthorized:mode-not-allowed]"}}})");
  auto events = events_of(actions);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type"), "error");
  EXPECT_EQ(events[0].at("code"), "permission_denied");
  EXPECT_EQ(events[0].at("origin"), "upstream");
  EXPECT_TRUE(closes(actions));
  // The handshake can no longer start the turn.
  std::string event_id(plan_frames(*turn)[0].at("event").at("event_id").as_string());
  turn->feed(session_created("c", event_id));
  EXPECT_TRUE(sends_of(turn->feed(conversation_attached("c"))).empty());
}

}  // namespace
}  // namespace g2a::test
