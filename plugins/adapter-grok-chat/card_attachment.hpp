// A card attachment's jsonData (a JSON document inside a string), shared by the mgw
// response.grok.output.card_attachment and REST cardAttachment / cardAttachmentsJson:
// generated-image chunks, citation cards, or an image error such as the usage limit.
#pragma once

#include <string>
#include <string_view>

namespace g2a::grok_chat {

struct Card {
  enum class Kind { kNone, kImage, kCitation, kError };
  Kind kind = Kind::kNone;
  std::string url, title;     // kImage (the asset path), kCitation
  int progress = 0;           // kImage
  std::string code, message;  // kError
};

// kNone for partial or moderated images, unknown cards and unreadable jsonData.
Card read_card(std::string_view json_data);

}  // namespace g2a::grok_chat
