// The body of grok.com's imagine-video-gen call (spec §2.6): textToVideo, or imageToVideo
// with the uploaded reference.
#pragma once

#include <string>
#include <string_view>

#include "video_request.hpp"

namespace g2a::grok_imagine {

inline constexpr std::string_view kVideoPath = "/rest/app-chat/conversations/new";

// The JSON text of the POST body.
std::string video_body(const VideoRequest& req, std::string_view preset);

// The plan of plugin.h for that POST through the media path (Referer /imagine, signed).
std::string video_plan(const VideoRequest& req, std::string_view preset);

}  // namespace g2a::grok_imagine
