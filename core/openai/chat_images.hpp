// The images of a chat request (image_url parts): read and fetched once, before any
// token is tried, then uploaded through upload-file-v2 (spec §2.4) with the account of
// each attempt, because a file belongs to the account that uploaded it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/config/settings.hpp"
#include "core/media/image_input.hpp"
#include "core/openai/chat_request.hpp"
#include "core/upstream/grok/grok_client.hpp"

namespace g2a::upstream {
class HttpClient;
}

namespace g2a::openai {

// grok.com takes at most 8 attachments a message (spec §2.4).
constexpr size_t kMaxChatImages = 8;

// Every image of the request, in order. Throws RequestError (a 400 naming
// messages[i].content[j].image_url) for input the client must fix.
boost::asio::awaitable<std::vector<media::ImageBytes>> collect_chat_images(
    const ChatRequest& req, const config::Settings& settings, upstream::HttpClient& http);

// Uploads them as this account; the file ids, in order. Throws UpstreamError or
// TransportError like any upstream call.
boost::asio::awaitable<std::vector<std::string>> upload_chat_images(
    upstream::grok::GrokClient& grok, upstream::grok::Account account,
    upstream::grok::Egress egress, const std::vector<media::ImageBytes>& images);

}  // namespace g2a::openai
