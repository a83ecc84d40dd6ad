// The REST chat plan: path and body as spec §2.2 and tests/simulator/lib/rest_chat.js want.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "chat_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class GrokChatRestPlan : public ::testing::Test {
 protected:
  TestHost host;
  AdapterClient client{host};
};

TEST_F(GrokChatRestPlan, NewConversation) {
  auto turn = client.begin(chat_request(
      "rest", {{"mode", "expert"},
               {"attachments", json::array{"file-1"}},
               {"options",
                {{"temporary", false}, {"disable_search", true}, {"image_generation_count", 4}}}}));
  ASSERT_TRUE(turn);
  auto plan = turn->plan();
  EXPECT_EQ(plan.at("transport"), "http");
  EXPECT_EQ(plan.at("call"), "rest_chat");
  EXPECT_EQ(plan.at("method"), "POST");
  EXPECT_EQ(plan.at("path"), "/rest/app-chat/conversations/new");
  ASSERT_TRUE(plan.at("body").is_string()) << "the body is JSON text";
  auto body = to_object(plan.at("body").as_string());
  EXPECT_EQ(body.at("modeId"), "expert");
  EXPECT_EQ(body.at("message"), "[user]\nhello there\n\n");
  EXPECT_EQ(body.at("fileAttachments"), json::array{"file-1"});
  EXPECT_EQ(body.at("temporary"), false);
  EXPECT_EQ(body.at("disableSearch"), true);
  EXPECT_EQ(body.at("imageGenerationCount"), 4);
  EXPECT_EQ(body.at("enableImageGeneration"), true);
  EXPECT_EQ(body.at("sendFinalMetadata"), true);
  EXPECT_EQ(body.at("responseMetadata"), json::object());
  EXPECT_EQ(body.at("toolOverrides").as_object().size(), 5u);
  EXPECT_EQ(body.at("deviceEnvInfo").at("screenWidth"), 2056);
  for (const char* key : {"collectionIds", "disabledConnectorIds", "imageAttachments"})
    EXPECT_EQ(body.at(key), json::array()) << key;
  for (const char* key : {"disableMemory", "enableImageStreaming", "enableSideBySide"})
    EXPECT_EQ(body.at(key), true) << key;
  for (const char* key :
       {"disableSelfHarmShortCircuit", "disableTextFollowUps", "forceConcise", "forceSideBySide",
        "isAsyncChat", "returnImageBytes", "returnRawGrokInXaiRequest"})
    EXPECT_EQ(body.at(key), false) << key;
  // The Feb-2026 fields that the site now refuses (rest_chat.js OBSOLETE).
  for (const char* key : {"modelName", "modelMode", "isReasoning", "responseId"})
    EXPECT_FALSE(body.contains(key)) << key;
}

TEST_F(GrokChatRestPlan, FollowUpPostsToTheConversationWithResponseId) {
  json::array messages{json::object{{"role", "user"}, {"content", "first"}},
                       json::object{{"role", "assistant"}, {"content", "You said: first"}},
                       json::object{{"role", "user"}, {"content", "again"}}};
  auto turn = client.begin(chat_request(
      "rest",
      {{"messages", messages},
       {"continuation", {{"conversation_id", "conv-7"}, {"parent_response_id", "resp-7"}}}}));
  ASSERT_TRUE(turn);
  auto plan = turn->plan();
  EXPECT_EQ(plan.at("path"), "/rest/app-chat/conversations/conv-7/responses");
  auto body = to_object(plan.at("body").as_string());
  EXPECT_EQ(body.at("responseId"), "resp-7");
  EXPECT_EQ(body.at("message"), "[user]\nagain\n\n");
  EXPECT_EQ(body.at("fileAttachments"), json::array());
}

}  // namespace
}  // namespace g2a::test
