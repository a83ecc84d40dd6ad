// Removes grok.com's inline <grok:render ...>...</grok:render> markup from streamed text.
// The site replaces these tags in the browser (citations, generated or searched images); the
// adapter reports what they stand for as separate events, so the text drops them entirely.
// Tokens may split a tag anywhere, so a possible tag start is held back until it resolves.
#pragma once

#include <string>
#include <string_view>

namespace g2a::grok_chat {

class RenderTagFilter {
 public:
  // Text safe to show now, with complete tags removed.
  std::string push(std::string_view piece);
  // Whatever was held back, at the end of the text: an unterminated tag is dropped.
  std::string flush();

 private:
  std::string held_;
};

}  // namespace g2a::grok_chat
