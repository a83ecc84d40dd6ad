// Downloads a generated image from grok.com's assets (spec §2.9) with the account that
// generated it: the assets are not public.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/upstream/grok/grok_client.hpp"

namespace g2a::media {

struct GeneratedImage {
  std::string bytes;
  std::string content_type;  // from the download; empty for a blob
};

// url: an asset path (relative to the assets host) or an absolute URL. Throws
// UpstreamError (an HTTP error, larger than 32 MiB) or TransportError.
boost::asio::awaitable<GeneratedImage> download_image(upstream::grok::GrokClient& grok,
                                                      const upstream::grok::Account& account,
                                                      const upstream::grok::Egress& egress,
                                                      const std::string& url,
                                                      std::chrono::milliseconds idle);

}  // namespace g2a::media
