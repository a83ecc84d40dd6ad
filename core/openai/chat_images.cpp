#include "core/openai/chat_images.hpp"

#include "core/media/image_fetch.hpp"

namespace g2a::openai {
namespace asio = boost::asio;

asio::awaitable<std::vector<media::ImageBytes>> collect_chat_images(
    const ChatRequest& req, const config::Settings& settings, upstream::HttpClient& http) {
  media::ImageFetchLimits limits = media::fetch_limits(settings.global);
  std::vector<media::ImageBytes> images;
  for (const auto& m : req.messages) {
    for (size_t j = 0; j < m.image_urls.size(); ++j) {
      const std::string& param = m.image_params[j];
      if (images.size() == kMaxChatImages)
        throw RequestError("at most " + std::to_string(kMaxChatImages) + " images per request",
                           param);
      std::optional<std::string> bad;
      try {
        auto image = media::resolve_image(http, m.image_urls[j], limits);
        images.push_back(co_await std::move(image));
      } catch (const media::ImageInputError& e) {
        bad = e.what();
      }
      if (bad) throw RequestError("Invalid image: " + *bad + ".", param, "invalid_image");
    }
  }
  co_return images;
}

asio::awaitable<std::vector<std::string>> upload_chat_images(
    upstream::grok::GrokClient& grok, upstream::grok::Account account,
    upstream::grok::Egress egress, const std::vector<media::ImageBytes>& images) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < images.size(); ++i) {
    const auto& img = images[i];
    std::string name = media::upload_name("image-" + std::to_string(i + 1), img);
    auto up = grok.upload(account, egress, name, img.mime, img.bytes, /*imagine=*/false);
    auto file = co_await std::move(up);
    ids.push_back(std::move(file.file_metadata_id));
  }
  co_return ids;
}

}  // namespace g2a::openai
