// Generated images as a client receives them: a link /images/<name> under
// global.base_url to a copy in the local image cache, or the bytes as base64.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/app/context.hpp"
#include "core/media/asset_download.hpp"

namespace g2a::media {
class ImageCache;
}

namespace g2a::openai {

std::string encode_base64(std::string_view in);

// Stores the image and returns its public link. Throws std::runtime_error when the cache
// cannot store it (or the context has no blocking pool).
boost::asio::awaitable<std::string> cached_image_link(app::AppContext& ctx,
                                                      media::ImageCache& cache,
                                                      media::GeneratedImage image);

// "data:<type>;base64,..." (the type from the bytes when the download gave none).
std::string image_data_url(const media::GeneratedImage& image);

}  // namespace g2a::openai
