// The OpenAI images API: POST /v1/images/generations through grok.com's imagine socket,
// POST /v1/images/edits through imagine-image-edit, and GET /images/{name}, the cached
// files their url answers point to.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"
#include "core/openai/routes.hpp"

namespace g2a::media {
class ImageCache;
}

namespace g2a::openai {

void add_image_routes(http::Router& router, app::AppContext& ctx, OpenAiServices services,
                      media::ImageCache& cache);

}  // namespace g2a::openai
