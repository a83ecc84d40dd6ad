#include "mgw_turn.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "card_attachment.hpp"
#include "ids.hpp"
#include "json_reader.hpp"
#include "mgw_frames.hpp"
#include "snippet.hpp"

namespace g2a::grok_chat {

using plugin_common::at;
using plugin_common::code_text;
using plugin_common::snippet;
using plugin_common::str_at;
namespace {

namespace json = boost::json;

// The gateway's own frame limit (spec §2.1).
constexpr size_t kMaxMessage = 16u << 20;
constexpr int kHeartbeatMs = 25000;
constexpr std::string_view kAnswerChannel = "CHANNEL_ASSISTANT_RESPONSE";

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

}  // namespace

MgwTurn::MgwTurn(TurnRequest req, std::string prompt)
    : req_(std::move(req)),
      prompt_(std::move(prompt)),
      event_id_("evt_init_" + random_uuid()),
      out_(req_.options.filtered_tags) {}

std::string MgwTurn::plan() const {
  // The host keeps the socket alive with this frame while the answer streams (spec §2.1).
  json::object ping_event;
  ping_event["type"] = "ping";
  ping_event["event_id"] = "evt_hb_" + std::to_string(wall_ms());
  json::object ping;
  ping["event"] = std::move(ping_event);
  json::object heartbeat;
  heartbeat["interval_ms"] = kHeartbeatMs;
  heartbeat["frame"] = json::serialize(ping);

  json::object plan;
  plan["transport"] = "ws";
  plan["call"] = "chat_gateway";
  plan["send"] = json::array{json::value(session_create_frame(req_, event_id_))};
  plan["heartbeat"] = std::move(heartbeat);
  return json::serialize(plan);
}

std::string MgwTurn::feed(std::string_view data) {
  if (out_.terminal()) return out_.take();
  if (data.size() > kMaxMessage) {
    out_.fail("upstream_frame_too_large", "an mgw message exceeded 16 MiB", "adapter");
    return out_.take();
  }
  boost::system::error_code ec;
  json::value env = json::parse(data, ec);
  if (ec || !env.is_object()) {
    out_.fail("bad_upstream_line", "an mgw message is not a JSON object: " + snippet(data),
              "adapter");
    return out_.take();
  }
  if (const auto* event = at(env, {"event"}); event && event->is_object()) on_event(env, *event);
  return out_.take();
}

std::string MgwTurn::finish() {
  out_.fail("upstream_incomplete", "upstream ended before the turn completed", "adapter");
  return out_.take();
}

void MgwTurn::on_event(const json::value& env, const json::value& event) {
  std::string_view type = str_at(event, {"type"});
  if (type == "session.created") {
    if (str_at(event, {"client_event_id"}) == event_id_) created_ = true;
    start_if_ready();
  } else if (type == "conversation.attached") {
    on_attached(env, event);
  } else if (type == "response.created") {
    if (auto id = str_at(event, {"response", "id"}); !id.empty()) response_id_ = id;
  } else if (type == "response.chunk") {
    if (const auto* chunk = at(event, {"chunk"})) on_chunk(*chunk);
  } else if (type == "response.output_text.delta") {
    answer(str_at(event, {"delta"}), AnswerForm::kDelta);
  } else if (type == "response.output_text.done") {
    out_.fallback_text(str_at(event, {"text"}));
  } else if (type == "response.search.result") {
    if (auto url = str_at(event, {"result", "url"}); !url.empty())
      titles_[std::string(url)] = str_at(event, {"result", "title"});
  } else if (type == "response.grok.output") {
    if (const auto* output = at(event, {"output"})) on_output(*output);
  } else if (type == "response.done") {
    on_done(event);
  } else if (type == "error") {
    on_error(event);
  } else if (type == "session.ended") {
    out_.fail("session_ended", "the upstream ended the session before the turn completed",
              "upstream");
  }
  // ping and the Realtime-style framing events (response.output_item.*, ...) carry nothing.
}

void MgwTurn::on_error(const json::value& event) {
  // {"error":{"code":"anti_bot","message":...}}; a bare string is taken as the message.
  const auto* err = at(event, {"error"});
  std::string code, message;
  if (err && err->is_string()) {
    message = err->get_string();
  } else if (err) {
    code = code_text(at(*err, {"code"}));
    message = str_at(*err, {"message"});
  }
  out_.fail(code.empty() ? "upstream_error" : code,
            message.empty() ? "the upstream reported an error" : message, "upstream");
}

void MgwTurn::on_attached(const json::value& env, const json::value& event) {
  std::string_view id = str_at(event, {"conversation", "id"});
  std::string_view session = str_at(env, {"session_id"});
  if (id.empty()) id = session;
  if (id.empty()) {
    out_.fail("bad_upstream_line", "conversation.attached without a conversation id", "adapter");
    return;
  }
  bool mismatch = (!session.empty() && session != id) ||
                  (req_.continuation && req_.continuation->conversation_id != id);
  if (mismatch) {
    out_.fail("conversation_mismatch",
              "the upstream attached conversation " + std::string(id) + " to this session",
              "adapter");
    return;
  }
  conversation_id_ = id;
  attached_ = true;
  start_if_ready();
}

void MgwTurn::start_if_ready() {
  if (!created_ || !attached_ || started_ || out_.terminal()) return;
  started_ = true;
  int64_t now = wall_ms();
  out_.actions().send(item_create_frame(conversation_id_, req_, prompt_, random_uuid(), now));
  out_.actions().send(response_create_frame(conversation_id_, now));
}

void MgwTurn::on_chunk(const json::value& chunk) {
  if (const auto* text = at(chunk, {"text"})) {
    std::string_view channel = str_at(*text, {"channel"});
    std::string_view piece = str_at(*text, {"text"});
    if (channel == kAnswerChannel)
      answer(piece, AnswerForm::kChunk);
    else if (contains(channel, "ANALYSIS") || contains(channel, "REASONING"))
      out_.reasoning(piece);
  }
  if (const auto* card = at(chunk, {"tool_usage_card"})) {
    std::string_view query = str_at(*card, {"web_search", "args", "query"});
    if (query.empty()) query = str_at(*card, {"x_search", "args", "query"});
    out_.actions().search(query);
  }
  if (const auto* pages = at(chunk, {"tool_result", "web_search", "webpages"});
      pages && pages->is_array()) {
    for (const auto& page : pages->get_array())
      if (auto url = str_at(page, {"url"}); !url.empty())
        titles_[std::string(url)] = str_at(page, {"title"});
  }
  if (const auto* cite = at(chunk, {"render_citation"})) {
    std::string_view url = str_at(*cite, {"url"});
    auto title = titles_.find(url);
    out_.actions().citation(url, title == titles_.end() ? std::string_view() : title->second);
  }
}

void MgwTurn::on_output(const json::value& output) {
  if (const auto* err = at(output, {"stream_error"})) {
    std::string code = code_text(at(*err, {"code"}));
    std::string_view message = str_at(*err, {"message"});
    out_.fail(code.empty() ? "stream_error" : code,
              message.empty() ? "the upstream reported a stream error" : message, "upstream");
    return;
  }
  Card card = read_card(str_at(output, {"card_attachment", "jsonData"}));
  if (card.kind == Card::Kind::kImage)
    out_.image(card.url, card.progress);
  else if (card.kind == Card::Kind::kCitation)
    out_.actions().citation(card.url, card.title);
  else if (card.kind == Card::Kind::kError)
    out_.fail(card.code, card.message, "upstream");
}

void MgwTurn::on_done(const json::value& event) {
  std::string_view status = str_at(event, {"response", "status"});
  if (auto id = str_at(event, {"response", "id"}); !id.empty()) response_id_ = id;
  if (status == "completed") {
    out_.complete(conversation_id_, response_id_);
    return;
  }
  std::string s(status.empty() ? "unknown" : status);
  out_.fail("response_" + s, "the upstream response ended with status " + s, "upstream");
}

void MgwTurn::answer(std::string_view text, AnswerForm form) {
  // Some servers send the answer both as chunks and as output_text deltas: keep one form.
  if (text.empty()) return;
  if (form_ == AnswerForm::kUnknown) form_ = form;
  if (form_ == form) out_.text(text);
}

}  // namespace g2a::grok_chat
