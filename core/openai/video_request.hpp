// The bodies of POST /v1/videos and /v1/videos/{id}/remix as clients send them:
// application/json (older SDKs, curl), multipart/form-data (current SDKs: text fields and
// an `input_reference` file part, or `input_reference[image_url]`) and
// application/x-www-form-urlencoded (the Pro service's clients). Unknown fields are
// ignored; what the service checks (sizes, durations, models) is left to it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/video/video_service.hpp"

namespace g2a::openai {

// Throws video::VideoError (400) naming the field: a body that cannot be read, a missing
// or empty prompt, a field of the wrong type, an `input_reference` that is a file_id (no
// Files API here), a data: URL that is no image, or a reference over max_reference_bytes.
// seconds may be a JSON string or integer; it is handed on as text.
video::CreateInput parse_video_create(std::string_view content_type, std::string_view body,
                                      size_t max_reference_bytes);

struct VideoRemixInput {
  std::string prompt;
  std::string user;
};

// The remix body ({"prompt"}, in any of the three encodings). Throws video::VideoError.
VideoRemixInput parse_video_remix(std::string_view content_type, std::string_view body);

}  // namespace g2a::openai
