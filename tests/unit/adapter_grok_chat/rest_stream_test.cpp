// The REST chat NDJSON body, in pieces, translated into neutral turn events.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "chat_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class GrokChatRestStream : public ::testing::Test {
 protected:
  std::unique_ptr<AdapterTurn> turn(const json::object& extra = {}) {
    auto t = client.begin(chat_request("rest", extra));
    EXPECT_TRUE(t);
    return t;
  }
  // Feeds `body` in pieces of `step` bytes, then finishes.
  EventLog play(std::string_view body, size_t step, const json::object& extra = {}) {
    auto t = turn(extra);
    EventLog log;
    for (size_t i = 0; i < body.size(); i += step) {
      last = t->feed(body.substr(i, step));
      log.add(last);
    }
    last = t->finish();
    log.add(last);
    return log;
  }

  TestHost host;
  AdapterClient client{host};
  json::object last;
};

const std::vector<std::string> kSpecSummary{
    "reasoning:Thinking about",
    "text:Hello",
    R"(image:{"url":"generated/image.jpg","progress":100})",
    R"(conversation:{"conversation_id":"conversation_1","response_id":"r1"})",
    R"(done:{"finish_reason":"stop"})",
};

TEST_F(GrokChatRestStream, SpecExampleByteByByte) {
  EXPECT_EQ(play(spec_rest_body(), 1).summary(), kSpecSummary);
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatRestStream, SpecExampleInOnePiece) {
  auto t = turn();
  auto actions = t->feed(spec_rest_body());
  EventLog log;
  log.add(actions);
  EXPECT_EQ(log.summary(), kSpecSummary);
  EXPECT_TRUE(closes(actions)) << "modelResponse ends the turn before the body does";
}

TEST_F(GrokChatRestStream, DataPrefixesCrlfDoneMarkersAndBlankLines) {
  std::string body;
  size_t start = 0;
  std::string spec = spec_rest_body();
  while (start < spec.size()) {
    size_t nl = spec.find('\n', start);
    body += "data: " + spec.substr(start, nl - start) + "\r\n\r\n";
    start = nl + 1;
  }
  body = ": keep-alive\r\nevent: message\r\n" + body + "data: [DONE]\r\n";
  EXPECT_EQ(play(body, 7).summary(), kSpecSummary);
}

TEST_F(GrokChatRestStream, SimulatorBody) {
  EventLog log = play(sim_rest_body(), 5);
  EXPECT_EQ(log.joined("text"), "You said: think, search and Drawing: cats")
      << "the grok:render tag is dropped";
  EXPECT_EQ(log.joined("reasoning"),
            "Thinking about your request\nThe user wrote \"think, search and Drawing: cats\".");
  auto searches = log.of("search");
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0].at("query"), "think, search and Drawing: cats");
  auto citations = log.of("citation");
  ASSERT_EQ(citations.size(), 2u) << "each URL once, from the results and the citation card";
  EXPECT_EQ(citations[0].at("url"), "https://example.com/think%2C-search");
  EXPECT_EQ(citations[0].at("title"), "Example result");
  EXPECT_EQ(citations[1].at("url"), "https://example.org/wiki/think");
  auto images = log.of("image");
  ASSERT_EQ(images.size(), 2u) << "final chunks only, not repeated by generatedImageUrls";
  EXPECT_EQ(images[0].at("url"), "users/u1/generated/img-0/image.jpg");
  EXPECT_EQ(images[1].at("url"), "users/u1/generated/img-1/image.jpg");
  auto conv = log.of("conversation");
  ASSERT_EQ(conv.size(), 1u);
  EXPECT_EQ(conv[0].at("conversation_id"), "conv-rest-1");
  EXPECT_EQ(conv[0].at("response_id"), "resp-0123456789") << "not the user message's id";
  EXPECT_EQ(log.all().back().at("type"), "done");
  EXPECT_TRUE(log.of("error").empty());
  EXPECT_EQ(log.of("done").size(), 1u);
}

TEST_F(GrokChatRestStream, FollowUpKeepsTheContinuedConversationId) {
  json::array messages{json::object{{"role", "assistant"}, {"content", "a"}},
                       json::object{{"role", "user"}, {"content", "b"}}};
  EventLog log = play(
      R"({"result":{"response":{"token":"ok","messageTag":"final","isThinking":false,"responseId":"r9"}}}
{"result":{"response":{"modelResponse":{"responseId":"r9","message":"ok"}}}}
)",
      3,
      {{"messages", messages},
       {"continuation", {{"conversation_id", "conv-7"}, {"parent_response_id", "r8"}}}});
  EXPECT_EQ(log.summary(),
            (std::vector<std::string>{
                "text:ok", R"(conversation:{"conversation_id":"conv-7","response_id":"r9"})",
                R"(done:{"finish_reason":"stop"})"}));
}

TEST_F(GrokChatRestStream, UsageLimitLine) {
  EventLog log = play(
      R"({"result":{"conversation":{"conversationId":"c1"}}}
{"result":{"response":{"userResponse":{"responseId":"u1","message":"hi"},"responseId":"u1"}}}
{"result":{"response":{"error":{"code":8,"message":"You've reached your usage limit. Please try again later."}}}}
)",
      11);
  EXPECT_EQ(
      log.summary(),
      std::vector<std::string>{
          R"(error:{"code":"8","message":"You've reached your usage limit. Please try again later.","origin":"upstream"})"});
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatRestStream, AntiBotTopLevelError) {
  EventLog log = play(
      R"({"error":{"code":7,"message":"Request rejected by anti-bot rules.","details":[]}})", 4);
  EXPECT_EQ(
      log.summary(),
      std::vector<std::string>{
          R"(error:{"code":"7","message":"Request rejected by anti-bot rules.","origin":"upstream"})"});
}

TEST_F(GrokChatRestStream, BlockedUserShapes) {
  EventLog a = play(R"({"code":7,"message":"User is blocked [WKE=unauthorized:blocked-user]"})"
                    "\n",
                    64);
  EXPECT_EQ(a.of("error").at(0).at("code"), "7");
  EXPECT_EQ(a.of("error").at(0).at("message"), "User is blocked [WKE=unauthorized:blocked-user]");
  EventLog b = play(R"({"code":"unauthorized:blocked-user","error":"User is blocked"})", 64);
  EXPECT_EQ(b.of("error").at(0).at("code"), "unauthorized:blocked-user");
  EXPECT_EQ(b.of("error").at(0).at("message"), "User is blocked");
}

TEST_F(GrokChatRestStream, StreamErrorHalfwayAfterText) {
  EventLog log = play(
      R"({"result":{"response":{"token":"Hal","messageTag":"final","responseId":"r"}}}
{"result":{"response":{"error":{"code":13,"message":"Internal error"}}}}
{"result":{"response":{"token":"f","messageTag":"final","responseId":"r"}}}
)",
      9);
  EXPECT_EQ(
      log.summary(),
      (std::vector<std::string>{
          "text:Hal", R"(error:{"code":"13","message":"Internal error","origin":"upstream"})"}));
}

TEST_F(GrokChatRestStream, ModelResponseStreamErrorsFailTheTurn) {
  EventLog log = play(
      R"({"result":{"response":{"modelResponse":{"message":"","streamErrors":[{"code":"rate_limit","message":"You've reached your usage limit."}]}}}})",
      100);
  EXPECT_EQ(log.of("error").at(0).at("code"), "rate_limit");
  EXPECT_TRUE(log.of("done").empty());
}

TEST_F(GrokChatRestStream, RenderTagsSplitAcrossTokensAreDropped) {
  EventLog log = play(
      R"({"result":{"response":{"token":"See <gr","messageTag":"final"}}}
{"result":{"response":{"token":"ok:render card_id=\"c1\" type=\"render_inline_citation\"><argument name=\"citation_id\">0</arg","messageTag":"final"}}}
{"result":{"response":{"token":"ument></grok:render> this <b>and</b> <grok:render type=\"x\"/>","messageTag":"final"}}}
{"result":{"response":{"token":" done <","messageTag":"final"}}}
{"result":{"response":{"modelResponse":{"message":"ignored"}}}}
)",
      13);
  EXPECT_EQ(log.joined("text"), "See  this <b>and</b>  done <");
}

TEST_F(GrokChatRestStream, TheHostsFilteredTagsDecideWhatIsRemoved) {
  std::string body =
      R"({"result":{"response":{"token":"a<xaiArtifact id=\"1\">x</xaiArt","messageTag":"final"}}}
{"result":{"response":{"token":"ifact>b<grok:render type=\"x\"/>c","messageTag":"final"}}}
{"result":{"response":{"modelResponse":{"message":"ignored"}}}}
)";
  json::object none{{"options", {{"filtered_tags", json::array()}}}};
  EXPECT_EQ(play(body, 7, none).joined("text"),
            R"(a<xaiArtifact id="1">x</xaiArtifact>b<grok:render type="x"/>c)");
  json::object only_artifacts{{"options", {{"filtered_tags", json::array{"xaiartifact"}}}}};
  EXPECT_EQ(play(body, 7, only_artifacts).joined("text"), R"(ab<grok:render type="x"/>c)");
  EXPECT_EQ(play(body, 7).joined("text"), "abc") << "without the option: the setting's default";
}

TEST_F(GrokChatRestStream, ModelResponseMessageStandsInForMissingTokens) {
  EventLog log = play(
      R"({"result":{"response":{"token":"pondering","isThinking":true,"responseId":"r"}}}
{"result":{"response":{"token":"odd","messageTag":"something_new","responseId":"r"}}}
{"result":{"response":{"modelResponse":{"responseId":"r","message":"Full <grok:render type=\"a\">x</grok:render>answer"}}}}
)",
      17);
  EXPECT_EQ(log.joined("reasoning"), "ponderingodd");
  EXPECT_EQ(log.joined("text"), "Full answer");
}

TEST_F(GrokChatRestStream, SoftStopEndsTheTurn) {
  auto t = turn();
  EventLog log;
  log.add(t->feed(
      R"({"result":{"response":{"token":"I generated a video","isSoftStop":true,"responseId":"r"}}})"
      "\n"));
  EXPECT_EQ(log.summary(),
            (std::vector<std::string>{"text:I generated a video",
                                      R"(conversation:{"conversation_id":"","response_id":"r"})",
                                      R"(done:{"finish_reason":"stop"})"}));
}

TEST_F(GrokChatRestStream, FinishFlushesAnUnterminatedLastLine) {
  std::string body = spec_rest_body();
  body.pop_back();  // no newline after modelResponse
  auto t = turn();
  EventLog log;
  log.add(t->feed(body));
  EXPECT_TRUE(log.of("done").empty());
  log.add(t->finish());
  EXPECT_EQ(log.summary(), kSpecSummary);
}

TEST_F(GrokChatRestStream, EndOfBodyAfterContentIsDone) {
  EventLog log =
      play(R"({"result":{"response":{"token":"Hi","messageTag":"final","responseId":"r"}}})"
           "\n",
           4);
  EXPECT_EQ(log.all().back().at("type"), "done");
  EXPECT_EQ(log.joined("text"), "Hi");
}

TEST_F(GrokChatRestStream, EndOfBodyWithoutContentIsAnError) {
  EventLog log = play(
      R"({"result":{"conversation":{"conversationId":"c"}}}
{"result":{"response":{"token":"thinking only","isThinking":true}}}
)",
      4);
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "upstream_incomplete");
  EXPECT_EQ(log.of("error")[0].at("message"), "upstream ended before the turn completed");
  EXPECT_TRUE(closes(last));
  EventLog empty = play("", 1);
  EXPECT_EQ(empty.of("error").size(), 1u);
}

TEST_F(GrokChatRestStream, MalformedLineIsAnError) {
  EventLog log = play(
      "{\"result\":{\"response\":{\"token\":\"a\",\"messageTag\":\"final\"}}}\n{oops\n{\"result\":{"
      "}}\n",
      3);
  EXPECT_EQ(log.summary()[0], "text:a");
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "bad_upstream_line");
  EXPECT_EQ(log.of("error")[0].at("origin"), "adapter");
  EXPECT_TRUE(closes(last));
}

TEST_F(GrokChatRestStream, SeveralObjectsOnOneLine) {
  EventLog log = play(
      R"({"result":{"response":{"token":"a","messageTag":"final"}}} {"result":{"response":{"token":"b","messageTag":"final"}}}{"result":{"response":{"modelResponse":{"message":"ab"}}}})",
      1);
  EXPECT_EQ(log.joined("text"), "ab");
  EXPECT_EQ(log.of("done").size(), 1u);
}

TEST_F(GrokChatRestStream, APartialLineBeyond16MiBIsAnError) {
  auto t = turn();
  std::string piece(1 << 20, 'x');
  piece[0] = '{';
  json::object actions;
  for (int i = 0; i <= 16 && !closes(actions); ++i) actions = t->feed(piece);
  ASSERT_TRUE(closes(actions));
  auto events = events_of(actions);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("code"), "upstream_line_too_long");
  EXPECT_TRUE(events_of(t->finish()).empty());
}

TEST_F(GrokChatRestStream, UnknownLinesAndFieldsAreIgnored) {
  EventLog log = play(
      R"(42
"text"
null
{"result":{"title":{"newTitle":"x"}}}
{"result":{"response":{"llmInfo":{"modelHash":"h"},"imageAttachmentInfo":{},"brandNew":{"a":1}}}}
{"result":{"response":{"token":"","messageTag":"final"}}}
{"result":{"response":{"token":"{\"raw\":1}","isThinking":false,"messageTag":"raw_function_result"}}}
{"result":{"response":{"streamingImageGenerationResponse":{"imageUrl":"m.jpg","progress":100,"isFinal":true,"moderated":true}}}}
{"result":{"response":{"modelResponse":{"message":"fine"},"error":null}}}
)",
      6);
  EXPECT_EQ(log.summary(),
            (std::vector<std::string>{"text:fine", R"(done:{"finish_reason":"stop"})"}));
}

}  // namespace
}  // namespace g2a::test
