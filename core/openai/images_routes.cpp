#include "core/openai/images_routes.hpp"
#include "core/openai/settings_egress.hpp"
#include "core/openai/token_failure.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>

#include <set>

#include "core/admin/auth.hpp"
#include "core/chat/token_source.hpp"
#include "core/media/image_cache.hpp"
#include "core/media/imagine.hpp"
#include "core/openai/model_table.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;

namespace {

constexpr int kMaxTokenAttempts = 3;
constexpr const char* kDefaultModel = "grok-imagine-image";
// The quota_info kind the imagine socket charges (spec §2.10), for both variants.
constexpr const char* kImagineQuota = "imagePro";

struct ImagesRequest {
  std::string prompt;
  int n = 1;
  std::string aspect_ratio;
  std::string model = kDefaultModel;
  bool b64 = false;
};

struct Invalid {
  std::string message;
  std::string param;
  std::string code = "invalid_value";
};

std::optional<Invalid> parse(const std::string& body, const config::Settings& s,
                             ImagesRequest& out) {
  json::value v;
  try {
    v = json::parse(body);
  } catch (const std::exception&) {
    return Invalid{"The body is not valid JSON.", "", "invalid_json"};
  }
  if (!v.is_object()) return Invalid{"The body must be a JSON object.", "", "invalid_json"};
  const auto& o = v.as_object();
  auto* prompt = o.if_contains("prompt");
  if (!prompt || !prompt->is_string() || prompt->as_string().empty())
    return Invalid{"`prompt` is required (a non-empty string).", "prompt",
                   "missing_required_parameter"};
  out.prompt = std::string(prompt->as_string());
  if (auto* n = o.if_contains("n"); n && !n->is_null()) {
    if (!n->is_int64() || n->as_int64() < 1 || n->as_int64() > 10)
      return Invalid{"`n` must be an integer from 1 to 10.", "n"};
    out.n = static_cast<int>(n->as_int64());
  }
  std::string size;
  if (auto* sz = o.if_contains("size"); sz && !sz->is_null()) {
    if (!sz->is_string()) return Invalid{"`size` must be a string such as 1024x1024.", "size"};
    size = std::string(sz->as_string());
  }
  out.aspect_ratio = media::aspect_ratio_for_size(size);
  if (out.aspect_ratio.empty())
    return Invalid{"`size` must be `auto` or WIDTHxHEIGHT, such as 1024x1024.", "size"};
  if (auto* m = o.if_contains("model"); m && !m->is_null()) {
    if (!m->is_string()) return Invalid{"`model` must be a string.", "model"};
    if (!m->as_string().empty()) out.model = std::string(m->as_string());
  }
  out.b64 = s.global.image_mode == "base64";
  if (auto* rf = o.if_contains("response_format"); rf && !rf->is_null()) {
    if (!rf->is_string() || (rf->as_string() != "url" && rf->as_string() != "b64_json"))
      return Invalid{"`response_format` must be `url` or `b64_json`.", "response_format"};
    out.b64 = rf->as_string() == "b64_json";
  }
  return std::nullopt;
}

std::string encode_base64(std::string_view in) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::encoded_size(in.size()), '\0');
  out.resize(b64::encode(out.data(), in.data(), in.size()));
  return out;
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

asio::awaitable<void> images_generations(http::Exchange& ex, app::AppContext& ctx,
                                         OpenAiServices svc, media::ImageCache& cache) {
  auto settings = ctx.current();
  ImagesRequest req;
  if (auto bad = parse(ex.request().body, *settings, req)) {
    auto r =
        http::error_response(400, bad->message, "invalid_request_error", bad->param, bad->code);
    co_await ex.send(std::move(r));
    co_return;
  }
  const ModelEntry* model = svc.models->find(req.model);
  if (!model) {
    co_await ex.send(http::error_response(404, "The model `" + req.model + "` does not exist.",
                                          "invalid_request_error", "model", "model_not_found"));
    co_return;
  }
  if (model->kind != ModelKind::kImage ||
      (model->mode != "imagine" && model->mode != "imagine-pro")) {
    co_await ex.send(http::error_response(
        400,
        "The model `" + req.model +
            "` does not generate images here; use grok-imagine-image or grok-imagine-image-2.0.",
        "invalid_request_error", "model", "model_not_supported"));
    co_return;
  }
  if (!svc.tokens || !ctx.grok || !ctx.blocking) {
    co_await ex.send(http::error_response(503, "The image service is not available (see /health).",
                                          "server_error", {}, "service_unavailable"));
    co_return;
  }

  chat::TokenRequirement need{model->mode, model->tiers, std::string(kImagineQuota)};
  auto secs = [](double s) { return std::chrono::milliseconds(static_cast<int64_t>(s * 1000)); };
  media::ImagineRequest round;
  round.prompt = req.prompt;
  round.n = req.n;
  round.aspect_ratio = req.aspect_ratio;
  round.pro = model->mode == "imagine-pro";
  round.idle = secs(settings->grok.stream_chunk_timeout);
  round.total = secs(settings->grok.stream_total_timeout);

  std::set<std::string> tried;
  std::optional<Diagnosis> last;
  std::vector<media::GeneratedImage> images;
  auto log = ops::logger("Images");
  for (int attempt = 0; attempt < kMaxTokenAttempts; ++attempt) {
    auto lease = svc.tokens->acquire(need, tried);
    if (!lease) break;
    tried.insert(lease->sso());
    upstream::grok::Account account{lease->sso(), ""};
    upstream::grok::Egress egress = settings_egress(*settings);
    std::optional<Diagnosis> failure;
    try {
      auto gen = media::imagine_generate(*ctx.grok, account, egress, round);
      images = co_await std::move(gen);
    } catch (const upstream::grok::UpstreamError& e) {
      failure = e.diagnosis();
    } catch (const upstream::TransportError& e) {
      failure = Diagnosis{Problem::kTransport, 0, e.what()};
    }
    svc.tokens->report(lease->sso(), model->mode, failure.value_or(Diagnosis{}));
    if (!failure) break;
    log->warn("{} with {}: {}", upstream::grok::to_string(failure->problem),
              ops::mask_token(lease->sso()), failure->message);
    last = failure;
    if (!upstream::grok::remedy_for(failure->problem).try_another_token) break;
  }
  if (images.empty()) {
    auto failure = client_failure(last, *svc.tokens, need, req.model);
    auto r = http::error_response(failure.status, failure.message, failure.type, {}, failure.code);
    r.headers = std::move(failure.headers);
    co_await ex.send(std::move(r));
    co_return;
  }

  json::array data;
  std::string base = trim_slash(settings->global.base_url);
  uint64_t max_bytes =
      static_cast<uint64_t>(std::max<int64_t>(1, settings->global.image_cache_max_size_mb)) << 20;
  for (auto& img : images) {
    if (req.b64) {
      data.push_back(json::object{{"b64_json", encode_base64(img.bytes)}});
      continue;
    }
    std::string name;
    try {
      auto put = cache.put(*ctx.blocking, std::move(img.bytes), img.content_type, max_bytes);
      name = co_await std::move(put);
    } catch (const std::exception& e) {
      log->error("image cache: {}", e.what());
    }
    if (name.empty()) {
      co_await ex.send(http::error_response(500, "The image could not be stored.", "server_error",
                                            {}, "cache_error"));
      co_return;
    }
    data.push_back(json::object{{"url", base + "/images/" + name}});
  }
  int64_t created = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  json::object body{{"created", created}, {"data", std::move(data)}};
  co_await ex.send(http::json_response(200, json::serialize(body)));
}

asio::awaitable<void> serve_image(http::Exchange& ex, app::AppContext& ctx,
                                  media::ImageCache& cache) {
  std::string name = ex.request().params["name"];
  std::optional<media::CachedImage> img;
  if (media::ImageCache::valid_name(name) && ctx.blocking) {
    auto get = cache.get(*ctx.blocking, name);
    img = co_await std::move(get);
  }
  if (!img) {
    co_await ex.send(
        http::error_response(404, "No such image.", "invalid_request_error", {}, "not_found"));
    co_return;
  }
  http::Response r;
  r.status = 200;
  r.content_type = std::move(img->content_type);
  r.body = std::move(img->bytes);
  // Names are content hashes: a name never changes its bytes.
  r.headers.push_back({"Cache-Control", "public, max-age=31536000, immutable"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  co_await ex.send(std::move(r));
}

}  // namespace

void add_image_routes(http::Router& router, app::AppContext& ctx, OpenAiServices svc,
                      media::ImageCache& cache) {
  router.add(
      "POST", "/v1/images/generations",
      admin::require_api_key(ctx, [&ctx, svc, &cache](http::Exchange& ex) -> asio::awaitable<void> {
        co_await images_generations(ex, ctx, svc, cache);
      }));
  // Public, like the links grok.com hands out: the names are unguessable hashes.
  router.add("GET", "/images/{name}", [&ctx, &cache](http::Exchange& ex) -> asio::awaitable<void> {
    co_await serve_image(ex, ctx, cache);
  });
}

}  // namespace g2a::openai
