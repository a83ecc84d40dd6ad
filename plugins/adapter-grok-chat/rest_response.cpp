#include "rest_response.hpp"

#include "card_attachment.hpp"
#include "json_reader.hpp"

namespace g2a::grok_chat {

using plugin_common::at;
using plugin_common::bool_at;
using plugin_common::code_text;
using plugin_common::number_at;
using plugin_common::str_at;
namespace {

namespace json = boost::json;

// Tags whose tokens are machine data, never text for anyone to read.
bool data_tag(std::string_view tag) {
  return tag == "tool_usage_card" || tag == "raw_function_result";
}

void apply_card(std::string_view json_data, AnswerStream& out) {
  Card card = read_card(json_data);
  if (card.kind == Card::Kind::kImage)
    out.image(card.url, card.progress);
  else if (card.kind == Card::Kind::kCitation)
    out.actions().citation(card.url, card.title);
  else if (card.kind == Card::Kind::kError)
    out.fail(card.code, card.message, "upstream");
}

// {"error":{"code":7,"message":...}}, {"error":"...","code":...} or {"code":..,"message":..}.
bool apply_error(const json::value& holder, AnswerStream& out) {
  const auto* err = at(holder, {"error"});
  std::string code, message;
  if (err && err->is_object()) {
    code = code_text(at(*err, {"code"}));
    message = str_at(*err, {"message"});
  } else if (err && err->is_string()) {
    code = code_text(at(holder, {"code"}));
    message = err->get_string();
  } else if (!err && at(holder, {"code"}) && at(holder, {"message"})) {
    code = code_text(at(holder, {"code"}));
    message = str_at(holder, {"message"});
  } else {
    return false;
  }
  out.fail(code.empty() ? "upstream_error" : code,
           message.empty() ? "the upstream reported an error" : message, "upstream");
  return true;
}

void apply_token(const json::value& r, AnswerStream& out) {
  std::string_view token = str_at(r, {"token"});
  if (token.empty()) return;
  std::string_view tag = str_at(r, {"messageTag"});
  if (data_tag(tag)) return;
  bool thinking = bool_at(r, {"isThinking"}, false);
  // Answer text is untagged or "final"; header, summary and unknown tags are thinking, so an
  // unexpected tag never leaks into the answer (modelResponse.message backs the answer up).
  if (!thinking && (tag.empty() || tag == "final"))
    out.text(token);
  else
    out.reasoning(token);
}

void apply_search(const json::value& r, AnswerStream& out) {
  if (const auto* card = at(r, {"toolUsageCard"})) {
    std::string_view query = str_at(*card, {"webSearch", "args", "query"});
    if (query.empty()) query = str_at(*card, {"xSearch", "args", "query"});
    out.actions().search(query);
  }
  if (const auto* results = at(r, {"webSearchResults", "results"}); results && results->is_array())
    for (const auto& page : results->get_array())
      out.actions().citation(str_at(page, {"url"}), str_at(page, {"title"}));
  if (const auto* posts = at(r, {"xSearchResults", "results"}); posts && posts->is_array()) {
    for (const auto& post : posts->get_array()) {
      std::string_view user = str_at(post, {"username"}), id = str_at(post, {"postId"});
      if (user.empty() || id.empty()) continue;
      out.actions().citation("https://x.com/" + std::string(user) + "/status/" + std::string(id),
                             "@" + std::string(user));
    }
  }
}

void apply_streamed_image(const json::value& r, AnswerStream& out) {
  const auto* img = at(r, {"streamingImageGenerationResponse"});
  if (!img) return;
  std::string_view url = str_at(*img, {"imageUrl"});
  if (url.empty()) url = str_at(*img, {"url"});
  bool final =
      bool_at(*img, {"isFinal"}, false) || number_at(*img, {"progress"}).value_or(0) >= 100;
  if (final && !bool_at(*img, {"moderated"}, false)) out.image(url, 100);
}

// The final modelResponse: images, cards and the whole answer; errors end the turn badly.
void apply_model_response(const json::value& m, RestIds& ids, AnswerStream& out) {
  if (auto id = str_at(m, {"responseId"}); !id.empty()) ids.response_id = id;
  if (const auto* errors = at(m, {"streamErrors"});
      errors && errors->is_array() && !errors->get_array().empty()) {
    const auto& first = errors->get_array().front();
    if (!apply_error(json::object{{"error", first}}, out))
      out.fail("stream_error", "the upstream reported a stream error", "upstream");
    return;
  }
  if (const auto* urls = at(m, {"generatedImageUrls"}); urls && urls->is_array())
    for (const auto& u : urls->get_array())
      if (u.is_string()) out.image(u.get_string(), 100);
  if (const auto* cards = at(m, {"cardAttachmentsJson"}); cards && cards->is_array())
    for (const auto& c : cards->get_array())
      if (c.is_string()) apply_card(c.get_string(), out);
  out.fallback_text(str_at(m, {"message"}));
  out.complete(ids.conversation_id, ids.response_id);
}

}  // namespace

void apply_rest_value(const json::value& v, RestIds& ids, AnswerStream& out) {
  if (!v.is_object() || out.terminal()) return;
  const auto* result = at(v, {"result"});
  if (!result) {
    apply_error(v, out);
    return;
  }
  if (auto id = str_at(*result, {"conversation", "conversationId"}); !id.empty())
    ids.conversation_id = id;
  const auto* r = at(*result, {"response"});
  if (!r || !r->is_object()) return;
  // The echo of the user's own message: its ids and text are not the answer's.
  if (at(*r, {"userResponse"})) return;
  if (const auto* e = at(*r, {"error"}); e && !e->is_null()) {
    if (!apply_error(*r, out))
      out.fail("upstream_error", "the upstream reported an error", "upstream");
    return;
  }
  if (auto id = str_at(*r, {"responseId"}); !id.empty()) ids.response_id = id;
  apply_token(*r, out);
  apply_search(*r, out);
  if (auto data = str_at(*r, {"cardAttachment", "jsonData"}); !data.empty()) apply_card(data, out);
  apply_streamed_image(*r, out);
  if (const auto* m = at(*r, {"modelResponse"}); m && m->is_object()) {
    apply_model_response(*m, ids, out);
    return;
  }
  if (bool_at(*r, {"isSoftStop"}, false)) out.complete(ids.conversation_id, ids.response_id);
}

}  // namespace g2a::grok_chat
