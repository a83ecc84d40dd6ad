#include "mgw_frames.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace g2a::grok_chat {
namespace {

namespace json = boost::json;

json::array ids_array(const std::vector<std::string>& ids) {
  json::array out;
  for (const auto& id : ids) out.emplace_back(id);
  return out;
}

std::string envelope(std::string_view session_id, json::object event) {
  json::object env;
  if (!session_id.empty()) env["session_id"] = session_id;
  env["event"] = std::move(event);
  return json::serialize(env);
}

}  // namespace

std::string session_create_frame(const TurnRequest& req, std::string_view event_id) {
  json::object x_grok;
  x_grok["protocol_capabilities"] = json::array{"conversation_attached", "custom_methods_v1"};
  x_grok["use_chunk"] = true;
  x_grok["enable_side_by_side"] = true;
  x_grok["force_side_by_side"] = false;
  x_grok["enable_image_generation"] = req.options.enable_image_generation;
  x_grok["image_generation_count"] = req.options.image_generation_count;
  x_grok["disable_text_follow_ups"] = false;
  x_grok["disable_artifact"] = true;
  x_grok["force_concise"] = false;
  std::string_view session_id;
  if (req.continuation) {
    session_id = req.continuation->conversation_id;
    x_grok["conversation_id"] = req.continuation->conversation_id;
    x_grok["load_existing"] = true;
    x_grok["needs_history"] = false;
  } else {
    x_grok["keep_context"] = false;
    x_grok["is_temporary"] = req.options.temporary;
    x_grok["disable_memory"] = true;
  }
  json::object session;
  session["model"] = req.mode;
  session["x_grok"] = std::move(x_grok);
  json::object event;
  event["type"] = "session.create";
  event["event_id"] = event_id;
  event["session"] = std::move(session);
  return envelope(session_id, std::move(event));
}

std::string item_create_frame(std::string_view session_id, const TurnRequest& req,
                              std::string_view prompt, std::string_view client_message_id,
                              int64_t now_ms) {
  json::array chunks;
  for (const auto& id : req.attachments) {
    json::object mention;
    mention["file_mention"] = json::object{{"file_id", id}};
    chunks.emplace_back(json::object{{"mention", json::object{{"target", std::move(mention)}}}});
  }
  chunks.emplace_back(json::object{{"text", json::object{{"text", prompt}}}});

  json::object x_grok;
  x_grok["client_message_id"] = client_message_id;
  x_grok["input_chunks"] = std::move(chunks);
  json::object item;
  item["type"] = "message";
  item["role"] = "user";
  item["x_grok"] = std::move(x_grok);
  if (!req.attachments.empty()) item["file_attachment_ids"] = ids_array(req.attachments);

  json::object event;
  event["type"] = "conversation.item.create";
  event["event_id"] = "evt_msg_" + std::to_string(now_ms);
  event["item"] = std::move(item);
  if (!req.attachments.empty()) event["file_attachment_ids"] = ids_array(req.attachments);
  if (req.continuation) event["parent_response_id"] = req.continuation->parent_response_id;
  return envelope(session_id, std::move(event));
}

std::string response_create_frame(std::string_view session_id, int64_t now_ms) {
  json::object event;
  event["type"] = "response.create";
  event["event_id"] = "evt_resp_" + std::to_string(now_ms);
  return envelope(session_id, std::move(event));
}

}  // namespace g2a::grok_chat
