#include "chat_fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace g2a::test {
namespace {

namespace json = boost::json;

std::string ev(json::object event, std::string_view session = {}) {
  json::object env;
  if (!session.empty()) env["session_id"] = session;
  env["event"] = std::move(event);
  return json::serialize(env);
}

std::string chunk(json::object c) {
  return ev({{"type", "response.chunk"}, {"chunk", std::move(c)}});
}

std::string answer_chunk(std::string_view text) {
  return chunk({{"text", {{"text", text}, {"channel", "CHANNEL_ASSISTANT_RESPONSE"}}}});
}

std::string line(const json::object& o) {
  return json::serialize(o) + "\n";
}

json::object response(std::string_view resp_id, json::object extra) {
  json::object r{{"isThinking", false}, {"isSoftStop", false}, {"responseId", resp_id}};
  for (auto& kv : extra) r[kv.key()] = kv.value();
  return {{"result", {{"response", r}}}};
}

}  // namespace

boost::json::object to_object(std::string_view json_text) {
  boost::system::error_code ec;
  auto v = json::parse(json_text, ec);
  EXPECT_FALSE(ec) << json_text;
  return v.is_object() ? v.get_object() : json::object();
}

std::string chat_request(std::string_view transport, const json::object& extra) {
  json::object req{
      {"kind", "chat"},
      {"model", "grok-4.1-fast"},
      {"mode", "fast"},
      {"transport", transport},
      {"messages", json::array{json::object{{"role", "user"}, {"content", "hello there"}}}},
      {"options", {{"temporary", true}}}};
  for (const auto& kv : extra) req[kv.key()] = kv.value();
  return json::serialize(req);
}

std::vector<json::object> plan_frames(const AdapterTurn& turn) {
  std::vector<json::object> out;
  auto plan = turn.plan();
  if (const auto* send = plan.if_contains("send"); send && send->is_array())
    for (const auto& f : send->get_array()) out.push_back(to_object(f.as_string()));
  return out;
}

std::string session_created(std::string_view conv, std::string_view client_event_id) {
  return ev({{"type", "session.created"},
             {"client_event_id", client_event_id},
             {"session", {{"id", conv}, {"model", "fast"}}}},
            conv);
}

std::string conversation_attached(std::string_view conv) {
  return ev({{"type", "conversation.attached"}, {"conversation", {{"id", conv}}}}, conv);
}

std::vector<std::string> handshake(AdapterTurn& turn, std::string_view conv) {
  auto frames = plan_frames(turn);
  EXPECT_EQ(frames.size(), 1u);
  std::string event_id(frames.at(0).at("event").at("event_id").as_string());
  auto a = turn.feed(session_created(conv, event_id));
  EXPECT_TRUE(sends_of(a).empty()) << "nothing may follow session.created alone";
  auto b = turn.feed(conversation_attached(conv));
  EXPECT_TRUE(events_of(b).empty());
  return sends_of(b);
}

std::vector<std::string> spec_mgw_events() {
  return {
      R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"thought","channel":"CHANNEL_ANALYSIS"}}}})",
      R"({"event":{"type":"response.chunk","chunk":{"tool_usage_card":{"tool_usage_card_id":"tool-1","web_search":{"args":{"query":"grok 4.6"}}}}}})",
      R"({"event":{"type":"response.chunk","chunk":{"tool_result":{"tool_call_id":"tool-1","web_search":{"webpages":[{"url":"https://example.com/grok","title":"Grok 4.6","snippet":"..."}]}}}}})",
      R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"预计发布","channel":"CHANNEL_ASSISTANT_RESPONSE"}}}})",
      R"({"event":{"type":"response.chunk","chunk":{"render_citation":{"id":"c2","kind":"CITATION_KIND_WEB_PAGE","url":"https://example.com/grok","citation_id":0}}}})",
      R"({"event":{"type":"response.done","response":{"id":"response-1","status":"completed"}}})",
  };
}

std::vector<std::string> sim_mgw_search_turn(std::string_view rid) {
  std::string id(rid);
  std::string q = "think then search grok 4.6";
  std::string u1 = "https://example.com/think-then-search-grok-4.6",
              u2 = "https://example.org/wiki/think-then-search-grok-4.6";
  std::vector<std::string> out{
      ev({{"type", "response.created"}, {"response", {{"id", id}, {"status", "in_progress"}}}}),
      ev({{"type", "response.output_item.added"},
          {"item", {{"id", "item_" + id}, {"type", "message"}, {"role", "assistant"}}}}),
      ev({{"type", "ping"}, {"event_id", "evt_srv_hb_1"}}),
      chunk({{"text", {{"text", "Thinking about your request"}, {"channel", "CHANNEL_ANALYSIS"}}}}),
      chunk({{"text",
              {{"text", "\nThe user wrote \"" + q + "\"."}, {"channel", "CHANNEL_ANALYSIS"}}}}),
      chunk({{"text", {{"text", "\nI will repeat it back."}, {"channel", "CHANNEL_ANALYSIS"}}}}),
      chunk({{"tool_usage_card",
              {{"tool_usage_card_id", "tool-" + id.substr(0, 8)},
               {"web_search", {{"args", {{"query", q}}}}}}}}),
      chunk({{"tool_result",
              {{"tool_call_id", "tool-" + id.substr(0, 8)},
               {"web_search",
                {{"webpages", json::array{json::object{{"url", u1},
                                                       {"title", "Example result for " + q},
                                                       {"snippet", "A page."}},
                                          json::object{{"url", u2},
                                                       {"title", q + " - Wiki"},
                                                       {"snippet", "Entry."}}}}}}}}}),
      ev({{"type", "response.search.result"},
          {"result", {{"url", u1}, {"title", "Example result for " + q}}}}),
      ev({{"type", "response.search.result"}, {"result", {{"url", u2}, {"title", q + " - Wiki"}}}}),
      ev({{"type", "response.content_part.added"}, {"part", {{"type", "text"}}}}),
      answer_chunk("You said: "),
      chunk({{"render_citation",
              {{"id", "c-" + id.substr(0, 6)},
               {"kind", "CITATION_KIND_WEB_PAGE"},
               {"url", u1},
               {"citation_id", 0}}}}),
      answer_chunk("think then "),
      answer_chunk("search grok "),
      answer_chunk("4.6"),
      ev({{"type", "response.output_item.done"},
          {"item", {{"id", "item_" + id}, {"status", "completed"}}}}),
      ev({{"type", "response.done"}, {"response", {{"id", id}, {"status", "completed"}}}}),
  };
  return out;
}

std::vector<std::string> sim_mgw_drawing_turn(std::string_view rid) {
  std::string id(rid);
  std::vector<std::string> out{
      ev({{"type", "response.created"}, {"response", {{"id", id}, {"status", "in_progress"}}}}),
      ev({{"type", "response.content_part.added"}, {"part", {{"type", "text"}}}}),
  };
  for (std::string img : {"img-a", "img-b"}) {
    for (int progress : {50, 100}) {
      json::object data{{"id", "card_" + img},
                        {"type", "render_generated_image"},
                        {"image_chunk",
                         {{"imageUuid", img},
                          {"imageUrl", "users/u1/generated/" + img + "/image.jpg"},
                          {"progress", progress},
                          {"moderated", false}}}};
      out.push_back(ev({{"type", "response.grok.output"},
                        {"output", {{"card_attachment", {{"jsonData", json::serialize(data)}}}}}}));
    }
  }
  out.push_back(answer_chunk("You said: Drawing: a cat"));
  out.push_back(
      ev({{"type", "response.done"}, {"response", {{"id", id}, {"status", "completed"}}}}));
  return out;
}

std::string spec_rest_body() {
  return R"({"result":{"conversation":{"conversationId":"conversation_1"}}}
{"result":{"response":{"token":"Thinking about","isThinking":true,"messageTag":"header","messageStepId":1,"responseId":"r1"}}}
{"result":{"response":{"token":"Hello","isThinking":false,"messageTag":"final","responseId":"r1"}}}
{"result":{"response":{"cardAttachment":{"jsonData":"{\"id\":\"card_1\",\"image_chunk\":{\"progress\":100,\"imageUrl\":\"generated/image.jpg\",\"moderated\":false}}"}}}}
{"result":{"response":{"modelResponse":{"message":"Hello","generatedImageUrls":[],"cardAttachmentsJson":[]},"isSoftStop":true}}}
)";
}

std::string sim_rest_body() {
  const std::string rid = "resp-0123456789", uid = "user-resp-1", conv = "conv-rest-1";
  const std::string q = "think, search and Drawing: cats";
  const std::string u1 = "https://example.com/think%2C-search",
                    u2 = "https://example.org/wiki/think";
  const std::string card = json::serialize(json::object{{"id", "cite-resp-0"},
                                                        {"type", "render_inline_citation"},
                                                        {"cardType", "citation_card"},
                                                        {"url", u1}});
  const std::string tag =
      R"(<grok:render card_id="cite-resp-0" card_type="citation_card" type="render_inline_citation"><argument name="citation_id">0</argument></grok:render>)";
  std::string body;
  body +=
      line({{"result",
             {{"conversation",
               {{"conversationId", conv}, {"title", "New conversation"}, {"temporary", true}}}}}});
  body += line({{"result",
                 {{"response",
                   {{"userResponse",
                     {{"responseId", uid},
                      {"message", "[user]\n" + q + "\n\n"},
                      {"sender", "human"},
                      {"webSearchResults", json::array()},
                      {"generatedImageUrls", json::array()}}},
                    {"isThinking", false},
                    {"isSoftStop", false},
                    {"responseId", uid}}}}}});
  body += line(response(rid, {{"token", "Thinking about your request"},
                              {"isThinking", true},
                              {"messageTag", "header"},
                              {"messageStepId", 1}}));
  body += line(response(
      rid,
      {{"token", "\nThe user wrote \"" + q + "\"."}, {"isThinking", true}, {"messageStepId", 1}}));
  body += line(response(
      rid, {{"token", ""},
            {"isThinking", true},
            {"messageTag", "tool_usage_card"},
            {"messageStepId", 2},
            {"toolUsageCardId", "card-resp-012"},
            {"toolUsageCard",
             {{"toolUsageCardId", "card-resp-012"}, {"webSearch", {{"args", {{"query", q}}}}}}}}));
  body += line(response(
      rid, {{"token", ""},
            {"isThinking", true},
            {"messageTag", "raw_function_result"},
            {"messageStepId", 2},
            {"webSearchResults",
             {{"results",
               json::array{json::object{{"url", u1}, {"title", "Example result"}, {"preview", "p"}},
                           json::object{{"url", u2}, {"title", "Wiki"}, {"preview", "p"}}}}}}}));
  body += line(response(rid, {{"cardAttachment", {{"jsonData", card}}}}));
  body += line(response(rid, {{"imageAttachmentInfo", json::object()}}));
  for (int i = 0; i < 2; ++i) {
    std::string path = "users/u1/generated/img-" + std::to_string(i) + "/image.jpg";
    for (int progress : {50, 100})
      body += line(response(rid, {{"streamingImageGenerationResponse",
                                   {{"imageId", "img-" + std::to_string(i)},
                                    {"imageUrl", path},
                                    {"progress", progress},
                                    {"imageIndex", i},
                                    {"isFinal", progress == 100},
                                    {"moderated", false}}}}));
  }
  body += line(response(rid, {{"token", "You said: "}, {"messageTag", "final"}}));
  body += line(response(rid, {{"token", tag}, {"messageTag", "final"}}));
  body += line(response(rid, {{"token", "think, search "}, {"messageTag", "final"}}));
  body += line(response(rid, {{"token", "and Drawing: cats"}, {"messageTag", "final"}}));
  body += line(
      response(rid, {{"modelResponse",
                      {{"responseId", rid},
                       {"message", "You said: " + tag + "think, search and Drawing: cats"},
                       {"sender", "ASSISTANT"},
                       {"parentResponseId", uid},
                       {"generatedImageUrls", json::array{"users/u1/generated/img-0/image.jpg",
                                                          "users/u1/generated/img-1/image.jpg"}},
                       {"cardAttachmentsJson", json::array{json::value(card)}},
                       {"streamErrors", json::array()},
                       {"metadata", {{"llm_info", {{"modelHash", "sim-expert"}}}}}}}}));
  body += line(response(
      rid, {{"finalMetadata", {{"followUpSuggestions", json::array()}}}, {"isSoftStop", true}}));
  body += line(response(rid, {{"llmInfo", {{"modelHash", "sim-expert"}}}}));
  body += line({{"result", {{"title", {{"newTitle", q}}}}}});
  return body;
}

}  // namespace g2a::test
