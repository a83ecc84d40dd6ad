// The answer side of a turn, common to both transports: filters markup out of text, keeps
// the upstream's full answer as a fallback for when no deltas came, and ends the turn once,
// either well (ids, then done) or with an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actions.hpp"
#include "render_tags.hpp"

namespace g2a::grok_chat {

class AnswerStream {
 public:
  // filtered_tags: the markup elements removed from text and thinking (TagFilter).
  explicit AnswerStream(const std::vector<std::string>& filtered_tags = default_filtered_tags())
      : filtered_tags_(filtered_tags),
        text_filter_(filtered_tags),
        reasoning_filter_(filtered_tags) {}

  Actions& actions() { return actions_; }
  bool terminal() const { return actions_.terminal(); }

  void text(std::string_view piece);
  void reasoning(std::string_view piece);
  void image(std::string_view url, int progress);
  // The complete answer as the upstream restates it at the end (REST modelResponse.message,
  // mgw response.output_text.done): shown only when no text deltas came.
  void fallback_text(std::string_view full);
  // Answer text or an image arrived (or a fallback text is known).
  bool has_content() const { return text_seen_ || image_seen_ || !fallback_.empty(); }

  void complete(std::string_view conversation_id, std::string_view response_id);
  void fail(std::string_view code, std::string_view message, std::string_view origin);

  std::string take() { return actions_.take(); }

 private:
  void flush_held();

  Actions actions_;
  std::vector<std::string> filtered_tags_;
  TagFilter text_filter_, reasoning_filter_;
  std::string fallback_;
  bool text_seen_ = false, image_seen_ = false;
};

}  // namespace g2a::grok_chat
