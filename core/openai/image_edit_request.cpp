#include "core/openai/image_edit_request.hpp"

#include "core/http/multipart.hpp"
#include "core/media/image_edit.hpp"
#include "core/media/imagine.hpp"
#include "core/openai/chat_request.hpp"

namespace g2a::openai {
namespace {

constexpr size_t kMaxPrompt = 32000;

media::ImageBytes image_of(const http::MultipartPart& p, size_t max_bytes) {
  std::optional<std::string> bad;
  media::ImageBytes image;
  if (p.filename) {
    if (p.data.size() > max_bytes)
      bad = "the image is larger than " + std::to_string(max_bytes >> 20) + " MiB";
    else if (std::string_view type = media::sniff_image_type(p.data); type.empty())
      bad = "the file is not a JPEG, PNG, WebP or GIF image";
    else
      image = media::ImageBytes{p.data, std::string(type)};
  } else {
    // A text value: a data URL or base64, as some clients send.
    try {
      auto ref = media::read_image_ref(p.data, max_bytes);
      if (!ref.url.empty()) bad = "send the image as a file, not a URL";
      image = std::move(ref.image);
    } catch (const media::ImageInputError& e) {
      bad = e.what();
    }
  }
  if (bad) throw RequestError("Invalid image: " + *bad + ".", p.name, "invalid_image");
  return image;
}

}  // namespace

ImageEditInput parse_image_edit(std::string_view content_type, std::string_view body,
                                size_t max_image_bytes) {
  std::vector<http::MultipartPart> parts;
  try {
    http::MultipartLimits limits;
    limits.max_parts = 32;
    parts = http::parse_form_data(content_type, body, limits);
  } catch (const http::MultipartError& e) {
    throw RequestError(std::string("The body must be multipart/form-data as images.edit sends "
                                   "it: ") +
                           e.what() + ".",
                       "", "invalid_multipart");
  }
  ImageEditInput in;
  auto text = [&](std::string_view name) -> const std::string* {
    const auto* p = http::find_part(parts, name);
    return p ? &p->data : nullptr;
  };
  for (const auto& p : parts) {
    if (p.name != "image" && p.name != "image[]") continue;
    if (in.images.size() == media::kMaxEditImages)
      throw RequestError("At most " + std::to_string(media::kMaxEditImages) + " images.", p.name);
    in.images.push_back(image_of(p, max_image_bytes));
  }
  if (in.images.empty())
    throw RequestError("`image` is required (a PNG, JPEG, WebP or GIF file).", "image",
                       "missing_required_parameter");
  if (const auto* mask = http::find_part(parts, "mask")) {
    image_of(*mask, max_image_bytes);
    in.has_mask = true;
  }
  const std::string* prompt = text("prompt");
  if (!prompt || prompt->empty())
    throw RequestError("`prompt` is required (a non-empty string).", "prompt",
                       "missing_required_parameter");
  if (prompt->size() > kMaxPrompt)
    throw RequestError("`prompt` is longer than 32000 characters.", "prompt");
  in.prompt = *prompt;
  if (const std::string* m = text("model")) in.model = *m;
  if (const std::string* n = text("n"); n && !n->empty()) {
    int value = 0;
    bool ok = n->size() <= 2;
    for (char c : *n) ok = ok && c >= '0' && c <= '9';
    if (ok) value = std::stoi(*n);
    if (!ok || value < 1 || value > 10)
      throw RequestError("`n` must be an integer from 1 to 10.", "n");
    in.n = value;
  }
  if (const std::string* size = text("size"); size && !size->empty() && *size != "auto") {
    in.aspect_ratio = media::aspect_ratio_for_size(*size);
    if (in.aspect_ratio.empty())
      throw RequestError("`size` must be `auto` or WIDTHxHEIGHT, such as 1024x1024.", "size");
  }
  if (const std::string* rf = text("response_format"); rf && !rf->empty()) {
    if (*rf != "url" && *rf != "b64_json")
      throw RequestError("`response_format` must be `url` or `b64_json`.", "response_format");
    in.b64 = *rf == "b64_json";
  }
  return in;
}

}  // namespace g2a::openai
