// POST /v1/images/edits as the official SDKs send it (images.edit): multipart/form-data
// with `image` (one file, or several as `image[]`), optional `mask`, `prompt`, `model`,
// `n`, `size`, `response_format`. Parsed and checked with errors that name the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/media/image_input.hpp"

namespace g2a::openai {

struct ImageEditInput {
  std::string prompt;
  std::vector<media::ImageBytes> images;  // 1 to media::kMaxEditImages
  bool has_mask = false;                  // accepted, but grok.com edits take no mask
  std::string model;                      // "" = the default
  int n = 1;
  std::string aspect_ratio;  // "" = keep the input's
  std::optional<bool> b64;   // response_format; nullopt = global.image_mode
};

// Throws RequestError (chat_request.hpp) naming the field.
ImageEditInput parse_image_edit(std::string_view content_type, std::string_view body,
                                size_t max_image_bytes);

}  // namespace g2a::openai
