// The OpenAI API: /v1/models and /v1/chat/completions.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::chat {
class AdapterHost;
class TokenSource;
}  // namespace g2a::chat

namespace g2a::media {
class ImageCache;
}
namespace g2a::video {
class VideoService;
}

namespace g2a::openai {

class ModelTable;

struct OpenAiServices {
  const ModelTable* models = nullptr;
  chat::AdapterHost* chat_adapter = nullptr;  // null: chat answers 503
  chat::TokenSource* tokens = nullptr;        // null: chat answers 503
  media::ImageCache* image_cache = nullptr;   // null: images of chat turns are not linked
  video::VideoService* videos = nullptr;      // null: chat with a video model answers 400
};

void add_openai_routes(http::Router& router, app::AppContext& ctx, OpenAiServices services);

// POST /v1/chat/completions on an exchange (also used by the MCP tool).
boost::asio::awaitable<void> chat_completions(http::Exchange& ex, app::AppContext& ctx,
                                              OpenAiServices services);

}  // namespace g2a::openai
