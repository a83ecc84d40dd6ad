#include "core/openai/chat_request.hpp"

#include <boost/json.hpp>

namespace g2a::openai {
namespace json = boost::json;

namespace {

std::string at(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

void read_content(const json::value& content, ChatMessage& m, const std::string& where) {
  if (content.is_null()) return;
  if (content.is_string()) {
    m.text = content.as_string();
    return;
  }
  if (!content.is_array())
    throw RequestError("content must be a string or an array of parts", where);
  const auto& parts = content.as_array();
  for (size_t j = 0; j < parts.size(); ++j) {
    std::string pw = at(where, j);
    if (!parts[j].is_object()) throw RequestError("a content part must be an object", pw);
    const auto& p = parts[j].as_object();
    auto* type = p.if_contains("type");
    if (!type || !type->is_string())
      throw RequestError("a content part needs a type", pw + ".type");
    std::string t(type->as_string());
    if (t == "text") {
      auto* text = p.if_contains("text");
      if (!text || !text->is_string()) throw RequestError("a text part needs text", pw + ".text");
      if (!m.text.empty()) m.text += "\n";
      m.text += text->as_string();
    } else if (t == "image_url") {
      auto* iu = p.if_contains("image_url");
      const json::value* url = nullptr;
      if (iu && iu->is_object()) url = iu->as_object().if_contains("url");
      if (iu && iu->is_string()) url = iu;  // a lenient form some clients send
      if (!url || !url->is_string() || url->as_string().empty())
        throw RequestError("an image_url part needs image_url.url", pw + ".image_url.url");
      if (m.role != "user") throw RequestError("images are accepted in user messages only", pw);
      m.image_urls.emplace_back(url->as_string());
      m.image_params.push_back(pw + ".image_url");
    } else {
      throw RequestError("content parts of type '" + t +
                             "' are not supported (text and "
                             "image_url are)",
                         pw + ".type", "unsupported_value");
    }
  }
}

}  // namespace

int64_t estimate_tokens(std::string_view text) {
  return static_cast<int64_t>((text.size() + 3) / 4);
}

ChatRequest parse_chat_request(std::string_view body) {
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) throw RequestError("the body is not valid JSON: " + ec.message(), "");
  if (!v.is_object()) throw RequestError("the body must be a JSON object", "");
  const auto& o = v.as_object();
  ChatRequest r;
  auto* model = o.if_contains("model");
  if (!model || !model->is_string() || model->as_string().empty())
    throw RequestError("you must provide a model parameter", "model", "missing_required_parameter");
  r.model = model->as_string();
  auto* messages = o.if_contains("messages");
  if (!messages || !messages->is_array())
    throw RequestError("messages must be an array", "messages", "missing_required_parameter");
  const auto& list = messages->as_array();
  if (list.empty()) throw RequestError("messages must not be empty", "messages");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = at("messages", i);
    if (!list[i].is_object()) throw RequestError("a message must be an object", where);
    const auto& mo = list[i].as_object();
    ChatMessage m;
    auto* role = mo.if_contains("role");
    if (!role || !role->is_string()) throw RequestError("a message needs a role", where + ".role");
    m.role = role->as_string();
    if (m.role == "developer") m.role = "system";
    if (m.role == "function") m.role = "tool";
    if (m.role != "system" && m.role != "user" && m.role != "assistant" && m.role != "tool")
      throw RequestError("unknown role '" + m.role + "'", where + ".role");
    if (auto* c = mo.if_contains("content")) read_content(*c, m, where + ".content");
    if (auto* n = mo.if_contains("name"); n && n->is_string()) m.name = n->as_string();
    if (auto* id = mo.if_contains("tool_call_id"); id && id->is_string())
      m.tool_call_id = id->as_string();
    if (auto* tc = mo.if_contains("tool_calls"); tc && tc->is_array() && !tc->as_array().empty())
      m.tool_calls_json = json::serialize(*tc);
    r.messages.push_back(std::move(m));
  }
  if (auto* s = o.if_contains("stream"); s && !s->is_null()) {
    if (!s->is_bool()) throw RequestError("stream must be a boolean", "stream");
    r.stream = s->as_bool();
  }
  if (auto* so = o.if_contains("stream_options"); so && so->is_object())
    if (auto* u = so->as_object().if_contains("include_usage"); u && u->is_bool())
      r.include_usage = u->as_bool();
  if (auto* t = o.if_contains("tools"); t && !t->is_null()) {
    if (!t->is_array()) throw RequestError("tools must be an array", "tools");
    if (!t->as_array().empty()) r.tools_json = json::serialize(*t);
  }
  if (auto* tc = o.if_contains("tool_choice"); tc && !tc->is_null())
    r.tool_choice_json = json::serialize(*tc);
  if (auto* rf = o.if_contains("response_format"); rf && rf->is_object()) {
    const auto& rfo = rf->as_object();
    if (auto* t = rfo.if_contains("type"); t && t->is_string()) r.response_format = t->as_string();
    if (r.response_format != "" && r.response_format != "text" &&
        r.response_format != "json_object" && r.response_format != "json_schema")
      throw RequestError("unknown response_format type '" + r.response_format + "'",
                         "response_format.type");
    if (auto* js = rfo.if_contains("json_schema"); js && js->is_object())
      if (auto* schema = js->as_object().if_contains("schema"))
        r.response_schema_json = json::serialize(*schema);
  }
  for (const char* key : {"max_completion_tokens", "max_tokens"})
    if (auto* mt = o.if_contains(key); mt && mt->is_int64()) r.max_tokens = mt->as_int64();
  return r;
}

}  // namespace g2a::openai
