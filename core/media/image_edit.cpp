#include "core/media/image_edit.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/upstream/grok/problem.hpp"

namespace g2a::media {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;
using upstream::grok::UpstreamError;

namespace {

constexpr size_t kMaxLine = 16u << 20;

const json::value* at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    if (!cur->is_object()) return nullptr;
    cur = cur->as_object().if_contains(key);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string str_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const auto* s = at(v, path);
  if (!s) return {};
  if (s->is_string()) return std::string(s->as_string());
  if (s->is_int64()) return std::to_string(s->as_int64());
  return {};
}

bool true_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const auto* b = at(v, path);
  return b && b->is_bool() && b->as_bool();
}

}  // namespace

void ImageEditStream::feed(std::string_view piece) {
  pending_.append(piece);
  size_t start = 0;
  for (size_t eol; (eol = pending_.find('\n', start)) != std::string::npos; start = eol + 1)
    line(std::string_view(pending_).substr(start, eol - start));
  pending_.erase(0, start);
  if (pending_.size() > kMaxLine && !error_)
    error_ = Diagnosis{Problem::kServerError, 0, "an edit stream line is too long"};
}

void ImageEditStream::finish() {
  if (!pending_.empty()) line(pending_);
  pending_.clear();
}

void ImageEditStream::add(std::string url) {
  if (!url.empty() && std::find(urls_.begin(), urls_.end(), url) == urls_.end())
    urls_.push_back(std::move(url));
}

void ImageEditStream::line(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  if (text.rfind("data:", 0) == 0) text.remove_prefix(5);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.empty() || text == "[DONE]") return;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return;  // not ours to judge: unknown lines are skipped
  if (error_) return;
  if (const auto* e = at(v, {"error"}); e && e->is_object()) {
    error_ = upstream::grok::diagnose_stream_error(str_at(*e, {"code"}), str_at(*e, {"message"}));
    return;
  }
  const auto* r = at(v, {"result", "response"});
  if (!r) return;
  if (auto message = str_at(*r, {"error", "message"}); !message.empty()) {
    error_ = upstream::grok::diagnose_stream_error(str_at(*r, {"error", "code"}), message);
    return;
  }
  if (const auto* img = at(*r, {"streamingImageGenerationResponse"}); img && img->is_object()) {
    const auto* progress = at(*img, {"progress"});
    bool final = true_at(*img, {"isFinal"}) ||
                 (progress && progress->is_number() && progress->to_number<double>() >= 100);
    if (final && true_at(*img, {"moderated"})) moderated_ = true;
    if (final && !true_at(*img, {"moderated"})) add(str_at(*img, {"imageUrl"}));
  }
  if (const auto* urls = at(*r, {"modelResponse", "generatedImageUrls"}); urls && urls->is_array())
    for (const auto& u : urls->as_array())
      if (u.is_string()) add(std::string(u.as_string()));
}

asio::awaitable<std::vector<GeneratedImage>> edit_image(upstream::grok::GrokClient& grok,
                                                        upstream::grok::Account account,
                                                        upstream::grok::Egress egress,
                                                        ImageEditRequest req) {
  json::array assets;
  for (size_t i = 0; i < req.images.size(); ++i) {
    const auto& img = req.images[i];
    std::string name = upload_name("edit-" + std::to_string(i + 1), img);
    auto up = grok.upload(account, egress, name, img.mime, img.bytes, /*imagine=*/true);
    auto file = co_await std::move(up);
    assets.emplace_back(file.file_metadata_id);
  }
  json::object i2i{{"prompt", req.prompt}, {"inputAssets", std::move(assets)}};
  if (!req.aspect_ratio.empty()) i2i["aspectRatio"] = req.aspect_ratio;
  json::object body{
      {"modelName", "imagine-image-edit"}, {"message", req.prompt},
      {"enableImageStreaming", true},      {"enableSideBySide", true},
      {"sendFinalMetadata", true},         {"mediaGenInput", {{"imageToImage", std::move(i2i)}}}};
  auto call = grok.rest(account, egress, "/rest/app-chat/conversations/new", json::serialize(body),
                        upstream::grok::CallKind::kRestMedia, req.first_byte);
  auto stream = co_await std::move(call);
  ImageEditStream edit;
  while (auto piece = co_await stream->next(req.idle)) edit.feed(*piece);
  edit.finish();
  if (edit.error()) throw UpstreamError(*edit.error());
  if (edit.urls().empty())
    throw UpstreamError(Diagnosis{
        edit.moderated() ? Problem::kModerated : Problem::kServerError, 0,
        edit.moderated() ? "the edited image was moderated" : "the edit ended without an image"});
  std::vector<GeneratedImage> images;
  for (const auto& url : edit.urls()) {
    auto image = co_await download_image(grok, account, egress, url, req.idle);
    images.push_back(std::move(image));
  }
  co_return images;
}

}  // namespace g2a::media
