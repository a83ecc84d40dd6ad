// What a client put in an image field (chat image_url, or the parts of an edit): a data:
// URL, raw base64, or an http(s) URL that still has to be fetched (image_fetch.hpp).
// grok.com's upload takes JPEG, PNG, WebP and GIF, recognised by their bytes.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace g2a::media {

struct ImageBytes {
  std::string bytes;
  std::string mime;  // image/jpeg | image/png | image/webp | image/gif
};

// The client's image cannot be used; the message says why, in words for the client.
class ImageInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The MIME type the bytes' magic says, or "" when they are none of the four formats.
std::string_view sniff_image_type(std::string_view bytes);

// A file name for an upload: "<stem>.<jpg|png|webp|gif>".
std::string upload_name(std::string_view stem, const ImageBytes& image);

// Strict standard base64 (padding optional; whitespace is not skipped); nullopt-like
// false when a character or the length is wrong.
bool decode_base64_strict(std::string_view in, std::string& out);

// An http(s) URL to fetch, or an image given inline.
struct ImageRef {
  std::string url;   // non-empty: fetch it
  ImageBytes image;  // otherwise: decoded and recognised
};

// Reads the value of an image field. Throws ImageInputError: another URL scheme, bad
// base64, bytes that are no supported image, or more than max_bytes.
ImageRef read_image_ref(std::string_view value, size_t max_bytes);

}  // namespace g2a::media
