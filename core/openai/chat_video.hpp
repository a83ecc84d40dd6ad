// Chat with a video model, as the Pro service answered it: the last user message is the
// prompt (its first image the reference), the video is made as a Video API task, and the
// answer is a <video> tag with the cached file's link.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/app/context.hpp"
#include "core/http/exchange.hpp"
#include "core/openai/chat_request.hpp"

namespace g2a::video {
class VideoService;
}

namespace g2a::openai {

boost::asio::awaitable<void> chat_video(http::Exchange& ex, app::AppContext& ctx,
                                        video::VideoService& videos, const ChatRequest& req);

}  // namespace g2a::openai
