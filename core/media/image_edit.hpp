// One image edit on grok.com (spec §2.5c): the input images uploaded with the imagine
// file source (§2.4), then conversations/new with modelName imagine-image-edit, whose
// NDJSON stream names the edited image; the image is downloaded with the same account.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/media/asset_download.hpp"
#include "core/media/image_input.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::media {

constexpr size_t kMaxEditImages = 8;

struct ImageEditRequest {
  std::string prompt;
  std::vector<ImageBytes> images;  // 1 to kMaxEditImages
  std::string aspect_ratio;        // "" = the input's own
  std::chrono::milliseconds first_byte{30000};
  std::chrono::milliseconds idle{120000};
};

// The edited images of one round. Throws UpstreamError (stream errors; kModerated when
// the result was moderated) or TransportError.
boost::asio::awaitable<std::vector<GeneratedImage>> edit_image(upstream::grok::GrokClient& grok,
                                                               upstream::grok::Account account,
                                                               upstream::grok::Egress egress,
                                                               ImageEditRequest req);

// The edit stream's lines, read as they come: the final image URLs, moderation, errors.
class ImageEditStream {
 public:
  // One piece of the body (split anywhere).
  void feed(std::string_view piece);
  void finish();

  const std::vector<std::string>& urls() const { return urls_; }
  bool moderated() const { return moderated_; }
  // The first error the stream reported, if any.
  const std::optional<upstream::grok::Diagnosis>& error() const { return error_; }

 private:
  void line(std::string_view text);
  void add(std::string url);

  std::string pending_;
  std::vector<std::string> urls_;
  bool moderated_ = false;
  std::optional<upstream::grok::Diagnosis> error_;
};

}  // namespace g2a::media
