#include "turn_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <grok2api/plugin.hpp>

#include "text_codec.hpp"

namespace g2a::grok_chat {

using plugin_common::plain_id;
namespace {

namespace json = boost::json;

[[noreturn]] void bad(const std::string& what) {
  throw g2a::Error(G2A_BAD_ARGUMENT, "adapter-grok-chat: " + what);
}

std::string opt_string(const json::object& o, std::string_view key, const std::string& where) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return {};
  if (!v->is_string()) bad(where + "." + std::string(key) + " must be a string");
  return std::string(v->get_string());
}

bool opt_bool(const json::object& o, std::string_view key, bool fallback) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_bool()) bad("options." + std::string(key) + " must be a boolean");
  return v->get_bool();
}

// OpenAI content is a string or an array of parts; only text parts reach the prompt.
std::string content_text(const json::value& v, const std::string& where) {
  if (v.is_null()) return {};
  if (v.is_string()) return std::string(v.get_string());
  if (!v.is_array()) bad(where + ".content must be a string or an array of parts");
  std::string out;
  for (const auto& part : v.get_array()) {
    const json::value* text = nullptr;
    if (part.is_string()) {
      text = &part;
    } else if (const auto* o = part.if_object()) {
      text = o->if_contains("text");
    }
    if (!text || !text->is_string()) continue;
    if (!out.empty()) out += '\n';
    out += text->get_string();
  }
  return out;
}

ToolCall read_tool_call(const json::value& v, const std::string& where) {
  const auto* o = v.if_object();
  if (!o) bad(where + " must be an object");
  ToolCall call;
  call.id = opt_string(*o, "id", where);
  const json::object* fn = o;
  if (const auto* f = o->if_contains("function")) {
    if (!f->is_object()) bad(where + ".function must be an object");
    fn = &f->get_object();
  }
  call.name = opt_string(*fn, "name", where);
  if (const auto* args = fn->if_contains("arguments"); args && !args->is_null())
    call.arguments = args->is_string() ? std::string(args->get_string()) : json::serialize(*args);
  return call;
}

Message read_message(const json::value& v, size_t index) {
  std::string where = "messages[" + std::to_string(index) + "]";
  const auto* o = v.if_object();
  if (!o) bad(where + " must be an object");
  Message m;
  m.role = opt_string(*o, "role", where);
  if (m.role.empty()) bad(where + ".role is required");
  if (const auto* c = o->if_contains("content")) m.content = content_text(*c, where);
  m.tool_call_id = opt_string(*o, "tool_call_id", where);
  if (const auto* calls = o->if_contains("tool_calls"); calls && !calls->is_null()) {
    if (!calls->is_array()) bad(where + ".tool_calls must be an array");
    for (size_t i = 0; i < calls->get_array().size(); ++i)
      m.tool_calls.push_back(
          read_tool_call(calls->get_array()[i], where + ".tool_calls[" + std::to_string(i) + "]"));
  }
  return m;
}

TurnOptions read_options(const json::object& o) {
  TurnOptions opts;
  opts.temporary = opt_bool(o, "temporary", opts.temporary);
  opts.disable_search = opt_bool(o, "disable_search", opts.disable_search);
  opts.enable_image_generation =
      opt_bool(o, "enable_image_generation", opts.enable_image_generation);
  if (const auto* n = o.if_contains("image_generation_count"); n && !n->is_null()) {
    if (!n->is_int64() && !n->is_uint64()) bad("options.image_generation_count must be an integer");
    auto count = n->to_number<int64_t>();
    if (count < 1 || count > 10) bad("options.image_generation_count must be 1..10");
    opts.image_generation_count = static_cast<int>(count);
  }
  if (const auto* tags = o.if_contains("filtered_tags"); tags && !tags->is_null()) {
    if (!tags->is_array()) bad("options.filtered_tags must be an array of tag names");
    opts.filtered_tags.clear();
    for (const auto& t : tags->get_array()) {
      if (!t.is_string()) bad("options.filtered_tags must be an array of tag names");
      if (!t.get_string().empty()) opts.filtered_tags.emplace_back(t.get_string());
    }
  }
  return opts;
}

}  // namespace

TurnRequest parse_turn_request(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) bad("the turn request is not a JSON object");
  const auto& o = v.get_object();
  TurnRequest req;
  std::string kind = opt_string(o, "kind", "request");
  if (!kind.empty() && kind != "chat") bad("kind \"" + kind + "\" is not served (only chat)");
  req.model = opt_string(o, "model", "request");
  req.mode = opt_string(o, "mode", "request");
  if (req.mode.empty()) bad("mode is required (fast, auto, expert, heavy, ...)");
  std::string transport = opt_string(o, "transport", "request");
  if (transport == "rest")
    req.transport = Transport::kRest;
  else if (transport.empty() || transport == "ws")
    req.transport = Transport::kWs;
  else
    bad("transport \"" + transport + "\" is not ws or rest");

  const auto* msgs = o.if_contains("messages");
  if (!msgs || !msgs->is_array() || msgs->get_array().empty())
    bad("messages must be a non-empty array");
  for (size_t i = 0; i < msgs->get_array().size(); ++i)
    req.messages.push_back(read_message(msgs->get_array()[i], i));

  if (const auto* files = o.if_contains("attachments"); files && !files->is_null()) {
    if (!files->is_array()) bad("attachments must be an array of file ids");
    for (const auto& f : files->get_array()) {
      if (!f.is_string() || !plain_id(f.get_string())) bad("attachments holds an invalid file id");
      req.attachments.emplace_back(f.get_string());
    }
  }
  if (const auto* c = o.if_contains("continuation"); c && !c->is_null()) {
    if (!c->is_object()) bad("continuation must be an object");
    Continuation cont;
    cont.conversation_id = opt_string(c->get_object(), "conversation_id", "continuation");
    cont.parent_response_id = opt_string(c->get_object(), "parent_response_id", "continuation");
    if (!plain_id(cont.conversation_id)) bad("continuation.conversation_id is missing or invalid");
    if (!plain_id(cont.parent_response_id))
      bad("continuation.parent_response_id is missing or invalid");
    req.continuation = std::move(cont);
  }
  if (const auto* opts = o.if_contains("options"); opts && !opts->is_null()) {
    if (!opts->is_object()) bad("options must be an object");
    req.options = read_options(opts->get_object());
  }
  return req;
}

}  // namespace g2a::grok_chat
