#include "core/media/lite_images.hpp"

#include <boost/json.hpp>

#include <optional>

#include "core/upstream/grok/problem.hpp"

namespace g2a::media {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;
using upstream::grok::UpstreamError;

namespace {

// Keeps the image URLs and the outcome of one turn; the text is not wanted.
class ImageCollector final : public chat::TurnSink {
 public:
  asio::awaitable<bool> event(const json::object& e) override {
    auto str = [&](const char* k) {
      auto* v = e.if_contains(k);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::string type = str("type");
    if (type == "image" && !str("url").empty()) urls.push_back(str("url"));
    if (type == "done") done = true;
    if (type == "error") {
      error = upstream::grok::diagnose_stream_error(str("code"), str("message"));
      co_return false;
    }
    co_return true;
  }
  asio::awaitable<bool> idle() override { co_return true; }

  std::vector<std::string> urls;
  bool done = false;
  std::optional<Diagnosis> error;
};

std::string turn_request(const LiteImagesRequest& req) {
  json::object o{{"kind", "chat"},
                 {"model", req.model},
                 {"mode", "fast"},
                 {"transport", req.transport},
                 {"messages", json::array{json::object{{"role", "user"},
                                                       {"content", "Drawing: " + req.prompt}}}},
                 {"attachments", json::array()},
                 {"options", {{"temporary", req.temporary}, {"image_generation_count", 2}}}};
  return json::serialize(o);
}

}  // namespace

asio::awaitable<std::vector<GeneratedImage>> lite_images(upstream::grok::GrokClient& grok,
                                                         chat::AdapterHost& adapter,
                                                         upstream::grok::Account account,
                                                         upstream::grok::Egress egress,
                                                         LiteImagesRequest req) {
  std::string request_json = turn_request(req);
  std::vector<GeneratedImage> images;
  // Each turn draws two; a turn that draws none ends the round.
  for (int turn = 0; turn < req.n && static_cast<int>(images.size()) < req.n; ++turn) {
    ImageCollector sink;
    auto run = chat::run_turn(grok, adapter, account, egress, request_json, req.timeouts, sink);
    co_await std::move(run);
    if (sink.error) throw UpstreamError(*sink.error);
    if (sink.urls.empty())
      throw UpstreamError(Diagnosis{Problem::kServerError, 0, "the chat turn drew no image"});
    for (const auto& url : sink.urls) {
      if (static_cast<int>(images.size()) == req.n) break;
      auto image = co_await download_image(grok, account, egress, url, req.timeouts.idle);
      images.push_back(std::move(image));
    }
  }
  co_return images;
}

}  // namespace g2a::media
