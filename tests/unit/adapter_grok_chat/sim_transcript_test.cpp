// Real turns against the grok.com simulator (tests/simulator), which checks every client
// frame and body and records a violation for anything wrong. The adapter's plan and send
// actions are relayed as the host would relay them; the simulator's answers are fed back.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "chat_fixtures.hpp"
#include "sim_bridge.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class GrokChatSimTranscript : public SimBridgeSuite {
 protected:
  // One mgw turn: a socket of its own, the plan's frames, then feed/send until close.
  EventLog ws_turn(const std::string& request) {
    EventLog log;
    auto turn = client.begin(request);
    EXPECT_TRUE(turn);
    if (!turn) return log;
    int64_t id = ++socket_id;
    bridge->send({{"op", "ws_open"}, {"id", id}});
    auto opened = bridge->next_op("ws_opened", id);
    EXPECT_EQ(opened.at("op"), "ws_opened") << json::serialize(opened);
    auto send = [&](const std::string& frame) {
      bridge->send({{"op", "ws_send"}, {"id", id}, {"data", frame}});
    };
    auto plan = turn->plan();
    for (const auto& f : plan.at("send").as_array()) send(std::string(f.as_string()));
    bool closed = false;
    while (!closed) {
      auto m = bridge->next();
      if (m.empty()) {
        ADD_FAILURE() << "the simulator went quiet";
        break;
      }
      if (!m.contains("id") || m.at("id").to_number<int64_t>() != id) continue;
      json::object actions;
      if (m.at("op") == "ws_message") {
        transcript.emplace_back(m.at("data").as_string());
        actions = turn->feed(m.at("data").as_string());
      } else if (m.at("op") == "ws_closed") {
        actions = turn->finish();
        closed = true;
      } else {
        continue;
      }
      log.add(actions);
      for (const auto& f : sends_of(actions)) send(f);
      if (closes(actions)) break;
    }
    bridge->send({{"op", "ws_close"}, {"id", id}});
    return log;
  }

  // One REST turn: the plan's POST through the bridge, the body fed in small pieces.
  EventLog rest_turn(const std::string& request) {
    EventLog log;
    auto turn = client.begin(request);
    EXPECT_TRUE(turn);
    if (!turn) return log;
    auto plan = turn->plan();
    EXPECT_EQ(plan.at("method"), "POST");
    bridge->send({{"op", "rest"}, {"path", plan.at("path")}, {"body", plan.at("body")}});
    auto reply = bridge->next_op("http");
    EXPECT_EQ(reply.at("status"), 200) << json::serialize(reply);
    std::string body(reply.at("body").as_string());
    for (size_t i = 0; i < body.size(); i += 37)
      log.add(turn->feed(std::string_view(body).substr(i, 37)));
    log.add(turn->finish());
    return log;
  }

  static std::pair<std::string, std::string> ids_of(const EventLog& log) {
    auto conv = log.of("conversation");
    if (conv.size() != 1) return {};
    return {std::string(conv[0].at("conversation_id").as_string()),
            std::string(conv[0].at("response_id").as_string())};
  }

  TestHost host;
  AdapterClient client{host};
  int64_t socket_id = 0;
  std::vector<std::string> transcript;
};

json::array user(std::string_view text) {
  return json::array{json::object{{"role", "user"}, {"content", text}}};
}

TEST_F(GrokChatSimTranscript, MgwTurnThenContinuation) {
  EventLog first = ws_turn(
      chat_request("ws", {{"mode", "auto"}, {"messages", user("think then search grok 4.6")}}));
  EXPECT_EQ(first.joined("text"), "You said: think then search grok 4.6");
  EXPECT_NE(first.joined("reasoning").find("Thinking about your request"), std::string::npos);
  ASSERT_EQ(first.of("search").size(), 1u);
  EXPECT_EQ(first.of("search")[0].at("query"), "think then search grok 4.6");
  ASSERT_EQ(first.of("citation").size(), 1u);
  EXPECT_EQ(first.of("citation")[0].at("title"), "Example result for think then search grok 4.6");
  ASSERT_EQ(first.all().back().at("type"), "done") << json::serialize(first.all().back());
  auto [conv, resp] = ids_of(first);
  ASSERT_FALSE(conv.empty());
  ASSERT_FALSE(resp.empty());
  EXPECT_GT(transcript.size(), 10u);

  json::array messages{json::object{{"role", "user"}, {"content", "think then search grok 4.6"}},
                       json::object{{"role", "assistant"}, {"content", first.joined("text")}},
                       json::object{{"role", "user"}, {"content", "second"}}};
  EventLog second = ws_turn(chat_request(
      "ws", {{"messages", messages},
             {"continuation", {{"conversation_id", conv}, {"parent_response_id", resp}}}}));
  EXPECT_EQ(second.joined("text"), "You said: second");
  ASSERT_EQ(second.all().back().at("type"), "done") << json::serialize(second.all().back());
  EXPECT_EQ(ids_of(second).first, conv);
  EXPECT_NE(ids_of(second).second, resp);
}

TEST_F(GrokChatSimTranscript, MgwLiteImages) {
  EventLog log = ws_turn(chat_request("ws", {{"messages", user("Drawing: a red fox")}}));
  EXPECT_EQ(log.of("image").size(), 2u);
  EXPECT_EQ(log.all().back().at("type"), "done");
}

TEST_F(GrokChatSimTranscript, MgwUsageLimit) {
  bridge->send({{"op", "control"},
                {"method", "POST"},
                {"path", "/script"},
                {"body", {{"call", "mgw"}, {"fault", "usage_limit"}}}});
  bridge->next_op("control");
  EventLog log = ws_turn(chat_request("ws"));
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "rate_limit");
  EXPECT_NE(std::string(log.of("error")[0].at("message").as_string()).find("usage limit"),
            std::string::npos);
}

TEST_F(GrokChatSimTranscript, MgwErrorHalfway) {
  bridge->send({{"op", "control"},
                {"method", "POST"},
                {"path", "/script"},
                {"body", {{"call", "mgw"}, {"fault", "error_event"}}}});
  bridge->next_op("control");
  EventLog log = ws_turn(chat_request("ws"));
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "internal");
}

TEST_F(GrokChatSimTranscript, RestTurnThenFollowUp) {
  EventLog first = rest_turn(chat_request(
      "rest", {{"mode", "expert"}, {"messages", user("please think and search for cats")}}));
  EXPECT_EQ(first.joined("text"), "You said: please think and search for cats");
  EXPECT_NE(first.joined("reasoning").find("Thinking about your request"), std::string::npos);
  EXPECT_EQ(first.of("search").size(), 1u);
  EXPECT_EQ(first.of("citation").size(), 2u);
  ASSERT_EQ(first.all().back().at("type"), "done") << json::serialize(first.all().back());
  auto [conv, resp] = ids_of(first);
  ASSERT_FALSE(conv.empty());

  json::array messages{
      json::object{{"role", "user"}, {"content", "please think and search for cats"}},
      json::object{{"role", "assistant"}, {"content", first.joined("text")}},
      json::object{{"role", "user"}, {"content", "again"}}};
  EventLog second = rest_turn(chat_request(
      "rest", {{"messages", messages},
               {"continuation", {{"conversation_id", conv}, {"parent_response_id", resp}}}}));
  EXPECT_EQ(second.joined("text"), "You said: again");
  EXPECT_EQ(second.all().back().at("type"), "done");
  EXPECT_EQ(ids_of(second).first, conv);
}

TEST_F(GrokChatSimTranscript, RestImagesAndUsageLimit) {
  EventLog drawing = rest_turn(chat_request("rest", {{"messages", user("Drawing: two owls")}}));
  EXPECT_EQ(drawing.of("image").size(), 2u);
  EXPECT_EQ(drawing.all().back().at("type"), "done");

  bridge->send({{"op", "control"},
                {"method", "POST"},
                {"path", "/script"},
                {"body", {{"call", "rest_chat"}, {"fault", "usage_limit"}}}});
  bridge->next_op("control");
  EventLog limited = rest_turn(chat_request("rest"));
  ASSERT_EQ(limited.of("error").size(), 1u);
  EXPECT_EQ(limited.of("error")[0].at("code"), "8");
}

}  // namespace
}  // namespace g2a::test
