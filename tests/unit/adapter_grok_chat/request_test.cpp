// Turn requests the adapter refuses, and the models it lists.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "chat_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class GrokChatRequests : public ::testing::Test {
 protected:
  // begin() must refuse `request` with G2A_BAD_ARGUMENT and a message mentioning `words`.
  void refused(const std::string& request, std::string_view words) {
    BeginFailure failure;
    auto turn = client.begin(request, &failure);
    EXPECT_FALSE(turn) << request;
    EXPECT_EQ(failure.status, G2A_BAD_ARGUMENT) << request;
    EXPECT_NE(failure.message.find(words), std::string::npos) << failure.message;
  }

  TestHost host;
  AdapterClient client{host};
};

TEST_F(GrokChatRequests, ModelsListTheChatModel) {
  auto v = json::parse(client.models());
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.as_array().size(), 1u);
  EXPECT_EQ(v.at(0).at("id"), "grok-chat");
  EXPECT_EQ(v.at(0).at("kind"), "chat");
  EXPECT_EQ(v.at(0).at("transports"), (json::array{"ws", "rest"}));
}

TEST_F(GrokChatRequests, BrokenRequestsAreRefused) {
  refused("not json", "not a JSON object");
  refused("[]", "not a JSON object");
  refused(chat_request("ws", {{"mode", ""}}), "mode is required");
  refused(chat_request("ws", {{"mode", 3}}), "mode must be a string");
  refused(chat_request("carrier-pigeon"), "transport");
  refused(chat_request("ws", {{"kind", "video"}}), "only chat");
  refused(chat_request("ws", {{"messages", json::array()}}), "messages");
  refused(chat_request("ws", {{"messages", json::array{json::object{{"content", "x"}}}}}),
          "messages[0].role");
  refused(chat_request("ws",
                       {{"messages", json::array{json::object{{"role", "user"}, {"content", 5}}}}}),
          "content");
  refused(chat_request("ws", {{"attachments", json::array{1}}}), "attachments");
  refused(chat_request("ws", {{"attachments", json::array{"../x"}}}), "attachments");
  refused(chat_request("rest", {{"continuation",
                                 {{"conversation_id", "a/b"}, {"parent_response_id", "r"}}}}),
          "conversation_id");
  refused(chat_request("rest", {{"continuation", {{"conversation_id", "c"}}}}),
          "parent_response_id");
  refused(chat_request("ws", {{"options", {{"image_generation_count", 0}}}}),
          "image_generation_count");
  refused(chat_request("ws", {{"options", {{"temporary", "yes"}}}}), "options.temporary");
  refused(chat_request("ws", {{"options", {{"filtered_tags", "grok:render"}}}}),
          "options.filtered_tags");
}

TEST_F(GrokChatRequests, AContinuationWithNothingNewIsRefused) {
  refused(
      chat_request(
          "ws", {{"messages", json::array{json::object{{"role", "user"}, {"content", "a"}},
                                          json::object{{"role", "assistant"}, {"content", "b"}}}},
                 {"continuation", {{"conversation_id", "c"}, {"parent_response_id", "r"}}}}),
      "after the last assistant message");
}

TEST_F(GrokChatRequests, RefusalsLeakNothing) {
  int64_t before = TestHost::live_allocations();
  refused("{", "not a JSON object");
  EXPECT_EQ(TestHost::live_allocations(), before);
}

TEST_F(GrokChatRequests, TransportDefaultsToTheGateway) {
  auto req = json::parse(chat_request("ws")).as_object();
  req.erase("transport");
  auto turn = client.begin(json::serialize(req));
  ASSERT_TRUE(turn);
  EXPECT_EQ(turn->plan().at("transport"), "ws");
}

}  // namespace
}  // namespace g2a::test
