#include "core/openai/image_links.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <stdexcept>

#include "core/media/image_cache.hpp"
#include "core/media/image_input.hpp"

namespace g2a::openai {
namespace asio = boost::asio;

std::string encode_base64(std::string_view in) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::encoded_size(in.size()), '\0');
  out.resize(b64::encode(out.data(), in.data(), in.size()));
  return out;
}

asio::awaitable<std::string> cached_image_link(app::AppContext& ctx, media::ImageCache& cache,
                                               media::GeneratedImage image) {
  if (!ctx.blocking) throw std::runtime_error("no blocking pool for the image cache");
  auto settings = ctx.current();
  std::string base = settings->global.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  uint64_t max_bytes =
      static_cast<uint64_t>(std::max<int64_t>(1, settings->global.image_cache_max_size_mb)) << 20;
  auto put = cache.put(*ctx.blocking, std::move(image.bytes), image.content_type, max_bytes);
  std::string name = co_await std::move(put);
  if (name.empty()) throw std::runtime_error("the image cache gave no name");
  co_return base + "/images/" + name;
}

std::string image_data_url(const media::GeneratedImage& image) {
  std::string type(media::sniff_image_type(image.bytes));
  if (type.empty()) type = image.content_type.empty() ? "image/jpeg" : image.content_type;
  return "data:" + type + ";base64," + encode_base64(image.bytes);
}

}  // namespace g2a::openai
