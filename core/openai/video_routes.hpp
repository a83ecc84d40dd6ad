// The OpenAI Video API over video::VideoService: create (also /v1/videos/generations),
// list, retrieve, delete, remix and content on /v1 (API key, call log); the public
// GET /videos/{name} the tasks' video_url points to; and the admin listing /api/videos.
// Trailing slashes need no routes of their own: the router ignores them.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::video {
class VideoService;
}

namespace g2a::openai {

void add_video_routes(http::Router& router, app::AppContext& ctx, video::VideoService& videos);

}  // namespace g2a::openai
