#include "core/media/image_input.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <cctype>

namespace g2a::media {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string mb(size_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

ImageBytes recognised(std::string bytes, size_t max_bytes) {
  if (bytes.size() > max_bytes) throw ImageInputError("the image is larger than " + mb(max_bytes));
  std::string_view type = sniff_image_type(bytes);
  if (type.empty()) throw ImageInputError("the data is not a JPEG, PNG, WebP or GIF image");
  return ImageBytes{std::move(bytes), std::string(type)};
}

}  // namespace

std::string_view sniff_image_type(std::string_view b) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 3 && at(0) == 0xff && at(1) == 0xd8 && at(2) == 0xff) return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8))
    return "image/png";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a"))
    return "image/gif";
  return {};
}

std::string upload_name(std::string_view stem, const ImageBytes& image) {
  std::string ext = image.mime.substr(image.mime.find('/') + 1);
  return std::string(stem) + "." + (ext == "jpeg" ? "jpg" : ext);
}

bool decode_base64_strict(std::string_view in, std::string& out) {
  size_t pad = 0;
  while (!in.empty() && in.back() == '=' && pad < 2) {
    in.remove_suffix(1);
    ++pad;
  }
  if (in.size() % 4 == 1) return false;
  if (pad && (in.size() + pad) % 4 != 0) return false;
  for (char c : in)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  namespace b64 = boost::beast::detail::base64;
  out.assign(b64::decoded_size(in.size()) + 3, '\0');
  auto [written, read] = b64::decode(out.data(), in.data(), in.size());
  out.resize(written);
  return read == in.size();
}

ImageRef read_image_ref(std::string_view value, size_t max_bytes) {
  ImageRef ref;
  if (starts_with_nocase(value, "http://") || starts_with_nocase(value, "https://")) {
    ref.url = std::string(value);
    return ref;
  }
  std::string_view payload = value;
  if (starts_with_nocase(value, "data:")) {
    auto comma = value.find(',');
    if (comma == std::string_view::npos) throw ImageInputError("a data: URL needs a comma");
    std::string_view meta = value.substr(5, comma - 5);
    if (meta.size() < 7 || !starts_with_nocase(meta.substr(meta.size() - 7), ";base64"))
      throw ImageInputError("a data: URL of an image must be base64 (data:image/png;base64,...)");
    if (!starts_with_nocase(meta, "image/"))
      throw ImageInputError("the data: URL does not hold an image (its type is not image/*)");
    payload = value.substr(comma + 1);
  } else if (auto colon = value.find(':'); colon != std::string_view::npos && colon < 16) {
    throw ImageInputError("only http, https and data: URLs (or raw base64) are accepted");
  }
  // Checked before decoding, so that a huge string costs no copy.
  if (payload.size() / 4 * 3 > max_bytes + 3)
    throw ImageInputError("the image is larger than " + mb(max_bytes));
  std::string bytes;
  if (payload.empty() || !decode_base64_strict(payload, bytes))
    throw ImageInputError("the image is neither an http(s) URL nor valid base64");
  ref.image = recognised(std::move(bytes), max_bytes);
  return ref;
}

}  // namespace g2a::media
