#include "core/media/asset_download.hpp"

#include "core/upstream/grok/problem.hpp"

namespace g2a::media {
namespace asio = boost::asio;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;
using upstream::grok::UpstreamError;

namespace {
constexpr size_t kMaxImageBytes = 32u << 20;
}

asio::awaitable<GeneratedImage> download_image(upstream::grok::GrokClient& grok,
                                               const upstream::grok::Account& account,
                                               const upstream::grok::Egress& egress,
                                               const std::string& url,
                                               std::chrono::milliseconds idle) {
  auto stream = grok.asset(account, egress, url);
  auto head = co_await stream->head(idle);
  std::string body;
  while (auto piece = co_await stream->next(idle)) {
    body += *piece;
    if (body.size() > kMaxImageBytes)
      throw UpstreamError(Diagnosis{Problem::kServerError, head.status, "image too large"});
  }
  if (head.status < 200 || head.status >= 300)
    throw UpstreamError(upstream::grok::diagnose_http(head.status, body, head.headers));
  GeneratedImage image{std::move(body), head.header("content-type")};
  co_return image;
}

}  // namespace g2a::media
