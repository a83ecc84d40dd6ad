#include "card_attachment.hpp"

#include <boost/json/parse.hpp>

#include "json_reader.hpp"

namespace g2a::grok_chat {

using plugin_common::at;
using plugin_common::bool_at;
using plugin_common::number_at;
using plugin_common::str_at;

Card read_card(std::string_view json_data) {
  Card card;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json_data, ec);
  if (ec || !v.is_object()) return card;
  if (const auto* chunk = at(v, {"image_chunk"}); chunk && chunk->is_object()) {
    std::string_view err = str_at(*chunk, {"systemErrCode"});
    if (!err.empty()) {
      card.kind = Card::Kind::kError;
      card.code = err;
      card.message = str_at(v, {"message"});
      if (card.message.empty()) card.message = str_at(*chunk, {"message"});
      if (card.message.empty()) card.message = "image generation failed (" + card.code + ")";
      return card;
    }
    // Only the final chunk of an image that survived moderation is an image.
    double progress = number_at(*chunk, {"progress"}).value_or(0);
    std::string_view url = str_at(*chunk, {"imageUrl"});
    if (progress >= 100 && !bool_at(*chunk, {"moderated"}, false) && !url.empty()) {
      card.kind = Card::Kind::kImage;
      card.url = url;
      card.progress = 100;
    }
    return card;
  }
  std::string_view url = str_at(v, {"url"});
  if (!url.empty()) {
    card.kind = Card::Kind::kCitation;
    card.url = url;
    card.title = str_at(v, {"title"});
  }
  return card;
}

}  // namespace g2a::grok_chat
