#include "core/openai/chat_output.hpp"

#include <openssl/rand.h>

#include <boost/json.hpp>
#include <chrono>

#include "core/openai/chat_request.hpp"

namespace g2a::openai {
namespace json = boost::json;

namespace {

std::string new_id() {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char raw[24];
  RAND_bytes(raw, sizeof raw);
  std::string id = "chatcmpl-";
  for (unsigned char c : raw) id.push_back(kAlnum[c % 62]);
  return id;
}

std::string sse(const json::object& o) {
  return "data: " + json::serialize(o) + "\n\n";
}

}  // namespace

ChatOutput::ChatOutput(std::string model, ReasoningFormat reasoning)
    : id_(new_id()),
      created_(std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count()),
      model_(std::move(model)),
      reasoning_format_(reasoning) {}

std::string ChatOutput::chunk(const std::string& delta_json, std::string_view finish) const {
  json::object choice;
  choice["index"] = 0;
  choice["delta"] = json::parse(delta_json);
  choice["logprobs"] = nullptr;
  choice["finish_reason"] = finish.empty() ? json::value(nullptr) : json::value(finish);
  json::object o;
  o["id"] = id_;
  o["object"] = "chat.completion.chunk";
  o["created"] = created_;
  o["model"] = model_;
  o["system_fingerprint"] = "fp_grok2api";
  o["choices"] = json::array{std::move(choice)};
  return sse(o);
}

std::string ChatOutput::start() {
  return chunk(R"({"role":"assistant","content":""})", "");
}

std::string ChatOutput::text(std::string_view delta) {
  std::string out;
  if (in_think_) {
    in_think_ = false;
    content_ += "\n</think>\n";
    out += chunk(json::serialize(json::object{{"content", "\n</think>\n"}}), "");
  }
  if (delta.empty()) return out;
  content_ += delta;
  return out + chunk(json::serialize(json::object{{"content", delta}}), "");
}

std::string ChatOutput::reasoning(std::string_view delta) {
  if (delta.empty()) return "";
  switch (reasoning_format_) {
    case ReasoningFormat::kHidden:
      return "";
    case ReasoningFormat::kReasoningContent:
      reasoning_ += delta;
      return chunk(json::serialize(json::object{{"reasoning_content", delta}}), "");
    case ReasoningFormat::kThinkTags: {
      std::string piece;
      if (!in_think_) {
        in_think_ = true;
        piece = "<think>\n";
      }
      piece += delta;
      content_ += piece;
      return chunk(json::serialize(json::object{{"content", piece}}), "");
    }
  }
  return "";
}

std::string ChatOutput::tool_calls(const std::vector<ToolCall>& calls) {
  json::array list;
  for (const auto& c : calls) {
    calls_.push_back(c);
    list.push_back(json::object{{"index", static_cast<int64_t>(calls_.size() - 1)},
                                {"id", c.id},
                                {"type", "function"},
                                {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
  }
  if (list.empty()) return "";
  return chunk(json::serialize(json::object{{"tool_calls", std::move(list)}}), "");
}

std::string ChatOutput::finish(std::string_view finish_reason) {
  std::string out = in_think_ ? text("") : "";
  return out + chunk("{}", finish_reason);
}

std::string ChatOutput::usage(int64_t prompt_tokens) {
  int64_t completion = estimate_tokens(content_) + estimate_tokens(reasoning_);
  for (const auto& c : calls_) completion += estimate_tokens(c.name) + estimate_tokens(c.arguments);
  json::object o;
  o["id"] = id_;
  o["object"] = "chat.completion.chunk";
  o["created"] = created_;
  o["model"] = model_;
  o["choices"] = json::array();
  o["usage"] = {{"prompt_tokens", prompt_tokens},
                {"completion_tokens", completion},
                {"total_tokens", prompt_tokens + completion}};
  return sse(o);
}

std::string ChatOutput::error_event(std::string_view message, std::string_view type,
                                    std::string_view code) {
  json::object e{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
  return sse(json::object{{"error", std::move(e)}});
}

std::string ChatOutput::completion(std::string_view finish_reason, int64_t prompt_tokens) const {
  std::string content = content_;
  if (in_think_) content += "\n</think>\n";
  json::object message{{"role", "assistant"},
                       {"content", content},
                       {"refusal", nullptr},
                       {"annotations", json::array()}};
  if (reasoning_format_ == ReasoningFormat::kReasoningContent && !reasoning_.empty())
    message["reasoning_content"] = reasoning_;
  int64_t completion = estimate_tokens(content_) + estimate_tokens(reasoning_);
  if (!calls_.empty()) {
    json::array list;
    for (const auto& c : calls_) {
      completion += estimate_tokens(c.name) + estimate_tokens(c.arguments);
      list.push_back(json::object{{"id", c.id},
                                  {"type", "function"},
                                  {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    }
    message["content"] = nullptr;
    message["tool_calls"] = std::move(list);
  }
  json::object o{{"id", id_},
                 {"object", "chat.completion"},
                 {"created", created_},
                 {"model", model_},
                 {"system_fingerprint", "fp_grok2api"},
                 {"choices", json::array{json::object{{"index", 0},
                                                      {"message", std::move(message)},
                                                      {"logprobs", nullptr},
                                                      {"finish_reason", finish_reason}}}},
                 {"usage",
                  {{"prompt_tokens", prompt_tokens},
                   {"completion_tokens", completion},
                   {"total_tokens", prompt_tokens + completion}}}};
  return json::serialize(o);
}

}  // namespace g2a::openai
