#include "answer_stream.hpp"

namespace g2a::grok_chat {

void AnswerStream::text(std::string_view piece) {
  if (piece.empty() || terminal()) return;
  text_seen_ = true;
  actions_.reasoning(reasoning_filter_.flush());  // keep the two streams in arrival order
  actions_.text(text_filter_.push(piece));
}

void AnswerStream::reasoning(std::string_view piece) {
  if (piece.empty() || terminal()) return;
  actions_.text(text_filter_.flush());
  actions_.reasoning(reasoning_filter_.push(piece));
}

void AnswerStream::image(std::string_view url, int progress) {
  if (url.empty() || terminal()) return;
  image_seen_ = true;
  actions_.image(url, progress);
}

void AnswerStream::fallback_text(std::string_view full) {
  if (!full.empty()) fallback_ = full;
}

void AnswerStream::flush_held() {
  actions_.reasoning(reasoning_filter_.flush());
  actions_.text(text_filter_.flush());
}

void AnswerStream::complete(std::string_view conversation_id, std::string_view response_id) {
  if (terminal()) return;
  flush_held();
  if (!text_seen_ && !fallback_.empty()) {
    TagFilter filter(filtered_tags_);
    std::string shown = filter.push(fallback_);
    actions_.text(shown + filter.flush());
  }
  actions_.conversation(conversation_id, response_id);
  actions_.done("stop");
}

void AnswerStream::fail(std::string_view code, std::string_view message, std::string_view origin) {
  if (terminal()) return;
  flush_held();
  actions_.error(code, message, origin);
}

}  // namespace g2a::grok_chat
