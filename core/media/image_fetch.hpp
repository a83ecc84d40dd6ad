// Fetches an image from a URL a client gave, under the SSRF policy (docs/design.md):
// http(s) only; the host is resolved here and every address judged by
// upstream/address_policy; the connection is pinned to the judged address, so that a
// second DNS answer (rebinding) cannot move it; each redirect is judged again; size and
// time are bounded; the answer must be an image. Runs on the non-blocking HTTP client.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/media/image_input.hpp"

namespace g2a::upstream {
class HttpClient;
}
namespace g2a::config {
struct GlobalSettings;
}

namespace g2a::media {

struct ImageFetchLimits {
  bool allow_private = false;                // global.image_fetch_allow_private
  size_t max_bytes = 20u << 20;              // global.image_fetch_max_mb
  std::chrono::milliseconds timeout{15000};  // global.image_fetch_timeout, the whole fetch
  int max_redirects = 3;
};

// The limits global.image_fetch_* set.
ImageFetchLimits fetch_limits(const config::GlobalSettings& global);

// Throws ImageInputError with a message for the client (refused address, HTTP error,
// not an image, too large, timed out).
boost::asio::awaitable<ImageBytes> fetch_image(upstream::HttpClient& http, std::string url,
                                               ImageFetchLimits limits);

// The image an image field names (read_image_ref): given inline, or fetched from its URL.
// Throws ImageInputError.
boost::asio::awaitable<ImageBytes> resolve_image(upstream::HttpClient& http, std::string value,
                                                 ImageFetchLimits limits);

}  // namespace g2a::media
