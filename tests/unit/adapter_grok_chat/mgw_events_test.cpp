// Server events of the mgw gateway translated into neutral turn events.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "chat_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class GrokChatMgwEvents : public ::testing::Test {
 protected:
  // A turn past its handshake on conversation `conv`.
  std::unique_ptr<AdapterTurn> started(std::string_view conv = "conv_1",
                                       const json::object& extra = {}) {
    auto turn = client.begin(chat_request("ws", extra));
    EXPECT_TRUE(turn);
    EXPECT_EQ(handshake(*turn, conv).size(), 2u);
    return turn;
  }
  // Feeds every message; the last answer is kept in `last`.
  EventLog play(AdapterTurn& turn, const std::vector<std::string>& messages) {
    EventLog log;
    for (const auto& m : messages) {
      last = turn.feed(m);
      log.add(last);
    }
    return log;
  }

  TestHost host;
  AdapterClient client{host};
  json::object last;
};

TEST_F(GrokChatMgwEvents, SpecExampleSequence) {
  auto turn = started("conv_1");
  EventLog log = play(*turn, spec_mgw_events());
  std::vector<std::string> expected{
      "reasoning:thought",
      R"(search:{"query":"grok 4.6"})",
      "text:预计发布",
      R"(citation:{"url":"https://example.com/grok","title":"Grok 4.6"})",
      R"(conversation:{"conversation_id":"conv_1","response_id":"response-1"})",
      R"(done:{"finish_reason":"stop"})",
  };
  EXPECT_EQ(log.summary(), expected);
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatMgwEvents, SimulatorSearchTurn) {
  auto turn = started("conv-s");
  EventLog log = play(*turn, sim_mgw_search_turn("5b0c8a5e-1111-4222-8333-944445555666"));
  EXPECT_EQ(log.joined("text"), "You said: think then search grok 4.6");
  EXPECT_EQ(log.joined("reasoning"),
            "Thinking about your request\nThe user wrote \"think then search grok 4.6\".\nI "
            "will repeat it back.");
  auto searches = log.of("search");
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0].at("query"), "think then search grok 4.6");
  auto citations = log.of("citation");
  ASSERT_EQ(citations.size(), 1u) << "only the cited page, not every search result";
  EXPECT_EQ(citations[0].at("url"), "https://example.com/think-then-search-grok-4.6");
  EXPECT_EQ(citations[0].at("title"), "Example result for think then search grok 4.6");
  auto conv = log.of("conversation");
  ASSERT_EQ(conv.size(), 1u);
  EXPECT_EQ(conv[0].at("conversation_id"), "conv-s");
  EXPECT_EQ(conv[0].at("response_id"), "5b0c8a5e-1111-4222-8333-944445555666");
  EXPECT_EQ(log.all().back().at("type"), "done");
  EXPECT_TRUE(closes(last));
  // Nothing is answered to pings or framing events: only the turn's own content counts.
  EXPECT_TRUE(log.of("error").empty());
}

TEST_F(GrokChatMgwEvents, LiteImageCardsBecomeImagesOnce) {
  auto turn = started(
      "conv-d",
      {{"messages", json::array{json::object{{"role", "user"}, {"content", "Drawing: a cat"}}}}});
  auto messages = sim_mgw_drawing_turn("resp-d");
  // The same final chunk again must not produce a second image.
  std::string again = messages[3];
  messages.insert(messages.end() - 2, again);
  EventLog log = play(*turn, messages);
  auto images = log.of("image");
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].at("url"), "users/u1/generated/img-a/image.jpg");
  EXPECT_EQ(images[0].at("progress"), 100);
  EXPECT_EQ(images[1].at("url"), "users/u1/generated/img-b/image.jpg");
  EXPECT_EQ(log.all().back().at("type"), "done");
}

TEST_F(GrokChatMgwEvents, ModeratedOrPartialImagesAreNotImages) {
  auto turn = started();
  auto card = [](std::string_view chunk) {
    json::object data{{"id", "card"}, {"image_chunk", to_object(chunk)}};
    return json::serialize(
        json::object{{"event",
                      {{"type", "response.grok.output"},
                       {"output", {{"card_attachment", {{"jsonData", json::serialize(data)}}}}}}}});
  };
  EventLog log = play(
      *turn,
      {card(R"({"progress":100,"imageUrl":"a.jpg","moderated":true})"),
       card(R"({"progress":60,"imageUrl":"b.jpg","moderated":false})"),
       card(R"({"progress":100,"imageUrl":"","moderated":false})"),
       R"({"event":{"type":"response.grok.output","output":{"card_attachment":{"jsonData":"not json"}}}})"});
  EXPECT_TRUE(log.all().empty());
}

TEST_F(GrokChatMgwEvents, UsageLimitStreamErrorEndsTheTurn) {
  auto turn = started();
  EventLog log = play(
      *turn,
      {R"({"event":{"type":"response.created","response":{"id":"r-u","status":"in_progress"}}})",
       R"({"event":{"type":"response.grok.output","output":{"stream_error":{"code":"rate_limit","message":"You've reached your usage limit. Please try again later."}}}})"});
  EXPECT_TRUE(closes(last));
  EXPECT_EQ(
      log.summary(),
      std::vector<std::string>{
          R"(error:{"code":"rate_limit","message":"You've reached your usage limit. Please try again later.","origin":"upstream"})"});
  // The failed response.done that follows adds nothing.
  auto after =
      turn->feed(R"({"event":{"type":"response.done","response":{"id":"r-u","status":"failed"}}})");
  EXPECT_TRUE(events_of(after).empty());
  EXPECT_TRUE(closes(after));
}

TEST_F(GrokChatMgwEvents, LiteImageUsageLimitCardIsAnError) {
  auto turn = started();
  json::object data{
      {"id", "card_r"},
      {"image_chunk", {{"progress", 0}, {"moderated", false}, {"systemErrCode", "rate_limit"}}},
      {"message", "You've reached your usage limit. Please try again later."}};
  EventLog log = play(
      *turn, {json::serialize(json::object{
                 {"event",
                  {{"type", "response.grok.output"},
                   {"output", {{"card_attachment", {{"jsonData", json::serialize(data)}}}}}}}})});
  auto errors = log.of("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("code"), "rate_limit");
  EXPECT_EQ(errors[0].at("message"), "You've reached your usage limit. Please try again later.");
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatMgwEvents, ResponseDoneWithAnotherStatusIsAnError) {
  auto turn = started();
  EventLog log = play(
      *turn,
      {R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"par","channel":"CHANNEL_ASSISTANT_RESPONSE"}}}})",
       R"({"event":{"type":"response.done","response":{"id":"r2","status":"failed"}}})"});
  EXPECT_EQ(
      log.summary(),
      (std::vector<std::string>{
          "text:par",
          R"(error:{"code":"response_failed","message":"the upstream response ended with status failed","origin":"upstream"})"}));
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatMgwEvents, ErrorEventsKeepTheUpstreamCode) {
  auto turn = started();
  EventLog log = play(
      *turn,
      {R"({"event":{"type":"error","error":{"code":"anti_bot","message":"anti-bot rejected"}}})"});
  EXPECT_EQ(log.summary(),
            std::vector<std::string>{
                R"(error:{"code":"anti_bot","message":"anti-bot rejected","origin":"upstream"})"});
  auto turn2 = started();
  EventLog log2 = play(
      *turn2,
      {R"({"event":{"type":"error","error":{"code":7,"message":"Request rejected by anti-bot rules."}}})"});
  EXPECT_EQ(log2.of("error").at(0).at("code"), "7");
}

TEST_F(GrokChatMgwEvents, SessionEndedBeforeDoneIsAnError) {
  auto turn = started();
  EventLog log = play(*turn, {R"({"event":{"type":"session.ended"}})"});
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "session_ended");
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatMgwEvents, FinishBeforeDoneIsAnError) {
  auto turn = started();
  turn->feed(
      R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"half","channel":"CHANNEL_ASSISTANT_RESPONSE"}}}})");
  auto actions = turn->finish();
  auto events = events_of(actions);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type"), "error");
  EXPECT_EQ(events[0].at("code"), "upstream_incomplete");
  EXPECT_EQ(events[0].at("message"), "upstream ended before the turn completed");
  EXPECT_EQ(events[0].at("origin"), "adapter");
  EXPECT_TRUE(closes(actions));
}

TEST_F(GrokChatMgwEvents, FinishAfterDoneAddsNothing) {
  auto turn = started("conv_1");
  play(*turn, spec_mgw_events());
  auto actions = turn->finish();
  EXPECT_TRUE(events_of(actions).empty());
  EXPECT_TRUE(closes(actions));
}

TEST_F(GrokChatMgwEvents, OutputTextDeltasAreTheAnswer) {
  auto turn = started();
  EventLog log = play(
      *turn,
      {R"({"event":{"type":"response.output_text.delta","delta":"Hel"}})",
       R"({"event":{"type":"response.output_text.delta","delta":"lo"}})",
       // The same answer as chunks too: one form is kept, never both.
       R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"Hello","channel":"CHANNEL_ASSISTANT_RESPONSE"}}}})",
       R"({"event":{"type":"response.output_text.done","text":"Hello"}})",
       R"({"event":{"type":"response.done","response":{"id":"r3","status":"completed"}}})"});
  EXPECT_EQ(log.joined("text"), "Hello");
}

TEST_F(GrokChatMgwEvents, OutputTextDoneIsUsedOnlyWithoutDeltas) {
  auto turn = started();
  EventLog log = play(
      *turn, {R"({"event":{"type":"response.output_text.done","text":"Whole answer"}})",
              R"({"event":{"type":"response.done","response":{"id":"r4","status":"completed"}}})"});
  EXPECT_EQ(log.joined("text"), "Whole answer");
  EXPECT_EQ(log.all().back().at("type"), "done");
}

TEST_F(GrokChatMgwEvents, OtherChannelsAndUnknownEventsAreIgnored) {
  auto turn = started();
  EventLog log = play(
      *turn,
      {R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"x","channel":"CHANNEL_FOLLOW_UP"}}}})",
       R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"r","channel":"CHANNEL_REASONING_SUMMARY"}}}})",
       R"({"event":{"type":"response.brand_new_thing","whatever":[1,2,3]}})",
       R"({"event":{"type":"ping","event_id":"evt_srv_hb_1"}})", R"({"event":"not an object"})",
       R"({"no_event":true})",
       R"({"event":{"type":"response.chunk","chunk":{"something_else":{}}}})",
       R"({"event":{"type":"response.chunk","chunk":{"tool_usage_card":{"browse_page":{"args":{"url":"https://a"}}}}}})"});
  EXPECT_EQ(log.summary(), std::vector<std::string>{"reasoning:r"});
  EXPECT_FALSE(closes(last));
}

TEST_F(GrokChatMgwEvents, MalformedMessagesAreErrorsNotExceptions) {
  for (std::string bad :
       {std::string("{not json"), std::string("[1,2]"), std::string(""), std::string("\xff\xfe")}) {
    auto turn = started();
    auto actions = turn->feed(bad);
    auto events = events_of(actions);
    ASSERT_EQ(events.size(), 1u) << bad;
    EXPECT_EQ(events[0].at("code"), "bad_upstream_line");
    EXPECT_EQ(events[0].at("origin"), "adapter");
    EXPECT_TRUE(closes(actions));
  }
}

TEST_F(GrokChatMgwEvents, NothingIsReportedAfterTheEnd) {
  auto turn = started("conv_1");
  play(*turn, spec_mgw_events());
  EventLog log = play(
      *turn,
      {R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"late","channel":"CHANNEL_ASSISTANT_RESPONSE"}}}})",
       R"({"event":{"type":"error","error":{"code":"x","message":"late"}}})"});
  EXPECT_TRUE(log.all().empty());
  EXPECT_TRUE(closes(last));
}

}  // namespace
}  // namespace g2a::test
