// Removes inline markup elements from streamed text: grok.com's <grok:render ...>...</grok:render>
// (the site replaces them in the browser: citations, generated or searched images; the adapter
// reports what they stand for as separate events) and whatever else the host lists in
// options.filtered_tags (grok.filtered_tags: xaiartifact, xai:tool_usage_card, ...).
// An element goes whole: its tags and what is between them. Names match without regard to
// case. Tokens may split a tag anywhere, so a possible tag start is held back until it resolves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok_chat {

// The names filtered when the host says nothing (the grok.filtered_tags default).
std::vector<std::string> default_filtered_tags();

class TagFilter {
 public:
  // An empty list filters nothing.
  explicit TagFilter(std::vector<std::string> names = default_filtered_tags());

  // Text safe to show now, with complete elements removed.
  std::string push(std::string_view piece);
  // Whatever was held back, at the end of the text: an unterminated element is dropped.
  std::string flush();

 private:
  std::vector<std::string> names_;  // lower case
  std::string held_;
};

}  // namespace g2a::grok_chat
