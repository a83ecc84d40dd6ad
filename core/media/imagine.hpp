// One generation round on grok.com's imagine WebSocket (spec §2.5a): reset + request
// frames, then the final images of every slot that was not moderated.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/media/asset_download.hpp"
#include "core/upstream/grok/grok_client.hpp"

namespace g2a::media {

struct ImagineRequest {
  std::string prompt;
  int n = 1;
  std::string aspect_ratio = "1:1";
  bool pro = false;
  std::chrono::milliseconds idle{120000};   // between frames
  std::chrono::milliseconds total{600000};  // the whole round
};

// The images, in slot order. Throws UpstreamError (error frames; kModerated when every slot
// was moderated) or TransportError. Blobs are used as sent; otherwise the image is
// downloaded with the same account.
boost::asio::awaitable<std::vector<GeneratedImage>> imagine_generate(
    upstream::grok::GrokClient& grok, upstream::grok::Account account,
    upstream::grok::Egress egress, ImagineRequest req);

// "1024x1792" -> "9:16": the supported aspect ratio nearest to WxH; "auto" or empty ->
// "1:1". Empty result: not a size.
std::string aspect_ratio_for_size(std::string_view size);

}  // namespace g2a::media
