#include "actions.hpp"

#include <boost/json/serialize.hpp>

namespace g2a::grok_chat {

void Actions::send(std::string frame) {
  if (!terminal_) send_.emplace_back(frame);
}

void Actions::push(boost::json::object event) {
  if (!terminal_) events_.emplace_back(std::move(event));
}

void Actions::text(std::string_view text) {
  if (!text.empty()) push({{"type", "text"}, {"text", text}});
}

void Actions::reasoning(std::string_view text) {
  if (!text.empty()) push({{"type", "reasoning"}, {"text", text}});
}

void Actions::search(std::string_view query) {
  if (!query.empty()) push({{"type", "search"}, {"query", query}});
}

void Actions::citation(std::string_view url, std::string_view title) {
  if (url.empty() || terminal_ || !citations_.emplace(url).second) return;
  push({{"type", "citation"}, {"url", url}, {"title", title}});
}

void Actions::image(std::string_view url, int progress) {
  if (url.empty() || terminal_ || !images_.emplace(url).second) return;
  push({{"type", "image"}, {"url", url}, {"progress", progress}});
}

void Actions::conversation(std::string_view conversation_id, std::string_view response_id) {
  if (conversation_id.empty() && response_id.empty()) return;
  push({{"type", "conversation"},
        {"conversation_id", conversation_id},
        {"response_id", response_id}});
}

void Actions::error(std::string_view code, std::string_view message, std::string_view origin) {
  push({{"type", "error"}, {"code", code}, {"message", message}, {"origin", origin}});
  terminal_ = true;
}

void Actions::done(std::string_view finish_reason) {
  push({{"type", "done"}, {"finish_reason", finish_reason}});
  terminal_ = true;
}

std::string Actions::take() {
  boost::json::object out;
  out["send"] = std::move(send_);
  out["events"] = std::move(events_);
  out["close"] = terminal_;
  send_ = {};
  events_ = {};
  return boost::json::serialize(out);
}

}  // namespace g2a::grok_chat
