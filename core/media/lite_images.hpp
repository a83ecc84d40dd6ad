// The lite images of spec §2.5b for /v1/images/generations: a Fast chat turn asked for
// "Drawing: <prompt>" through the chat adapter; its image events are the images (two a
// turn), downloaded with the same account. Turns repeat until n images are there.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/chat/turn_runner.hpp"
#include "core/media/asset_download.hpp"

namespace g2a::media {

struct LiteImagesRequest {
  std::string prompt;
  int n = 1;
  std::string model;      // the public id, for the adapter's turn request
  std::string transport;  // grok.chat_transport
  bool temporary = true;  // grok.temporary
  chat::TurnTimeouts timeouts;
};

// Throws UpstreamError (the turn's own errors; kModerated/kServerError when a turn drew
// nothing) or TransportError.
boost::asio::awaitable<std::vector<GeneratedImage>> lite_images(upstream::grok::GrokClient& grok,
                                                                chat::AdapterHost& adapter,
                                                                upstream::grok::Account account,
                                                                upstream::grok::Egress egress,
                                                                LiteImagesRequest req);

}  // namespace g2a::media
