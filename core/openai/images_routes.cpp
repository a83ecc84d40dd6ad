#include "core/openai/images_routes.hpp"
#include "core/openai/attempts_options.hpp"
#include "core/openai/token_attempts.hpp"

#include <boost/json.hpp>

#include <functional>

#include "core/admin/auth.hpp"
#include "core/calllog/call_record.hpp"
#include "core/calllog/recorded_route.hpp"
#include "core/chat/adapter_host.hpp"
#include "core/chat/token_source.hpp"
#include "core/media/image_cache.hpp"
#include "core/media/image_edit.hpp"
#include "core/media/imagine.hpp"
#include "core/media/lite_images.hpp"
#include "core/openai/chat_request.hpp"
#include "core/openai/image_edit_request.hpp"
#include "core/openai/image_links.hpp"
#include "core/openai/model_table.hpp"
#include "core/ops/logging.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;

namespace {

constexpr const char* kDefaultModel = "grok-imagine-image";
// The quota_info kinds (spec §2.10): the imagine socket (both variants), and edits.
const std::string kImagineQuota = "imagePro";
const std::string kEditQuota = "imageEdit";
constexpr size_t kMaxEditImageBytes = 32u << 20;  // grok.com's limit per image (spec §2.4)

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

// One round of image making with one account: the imagine socket, or an edit.
using Round = std::function<asio::awaitable<std::vector<media::GeneratedImage>>(
    const upstream::grok::Account&, const upstream::grok::Egress&)>;

// The model of an images request, when it makes images on the imagine path (or, for
// generations, as lite images of a chat turn); otherwise the client has been answered.
asio::awaitable<const ModelEntry*> image_model(http::Exchange& ex, app::AppContext& ctx,
                                               const OpenAiServices& svc, std::string id,
                                               bool lite_too) {
  // The call log names the model used, the default included (a multipart edit has no
  // JSON body for the record to read it from).
  if (auto* call = ex.request().call.get()) call->model = id;
  const ModelEntry* model = svc.models->find(id);
  std::optional<http::Response> refusal;
  if (!model) {
    refusal = http::error_response(404, "The model `" + id + "` does not exist.",
                                   "invalid_request_error", "model", "model_not_found");
  } else if (auto denied = admin::model_refusal(ctx, ex.request(), id)) {
    refusal = std::move(denied);
  } else if (model->kind != ModelKind::kImage ||
             (model->mode != "imagine" && model->mode != "imagine-pro" &&
              !(lite_too && model->mode == "lite"))) {
    refusal = http::error_response(
        400,
        "The model `" + id + "` does not make images here; use grok-imagine-image or " +
            (lite_too ? "grok-imagine-image-2.0 (or grok-imagine-image-lite)."
                      : "grok-imagine-image-2.0."),
        "invalid_request_error", "model", "model_not_supported");
  } else if (!svc.tokens || !ctx.grok || !ctx.blocking ||
             (model->mode == "lite" && !svc.chat_adapter)) {
    refusal = http::error_response(503, "The image service is not available (see /health).",
                                   "server_error", {}, "service_unavailable");
  }
  if (refusal) {
    co_await ex.send(std::move(*refusal));
    co_return nullptr;
  }
  co_return model;
}

// One round with one account; the images land in `out`.
asio::awaitable<std::optional<Diagnosis>> image_attempt(const Round& round, const std::string& sso,
                                                        const upstream::grok::Egress& egress,
                                                        std::vector<media::GeneratedImage>& out) {
  upstream::grok::Account account{sso, ""};
  auto gen = round(account, egress);
  out = co_await std::move(gen);
  co_return std::nullopt;
}

// Runs round with the pool's tokens (moving on after failures a token may not have) and
// answers the client: the images as cached links or base64, or the failure.
asio::awaitable<void> produce_images(http::Exchange& ex, app::AppContext& ctx,
                                     const OpenAiServices& svc, media::ImageCache& cache,
                                     const ModelEntry& model, chat::TokenRequirement need,
                                     Round round, bool b64) {
  auto settings = ctx.current();
  std::vector<media::GeneratedImage> images;
  TokenAttemptsOptions options =
      attempts_options(ctx, *settings, "Images", model.id, ex.request().call.get());
  TokenAttempt attempt = [&](const std::string& sso, const upstream::grok::Egress& egress) {
    return image_attempt(round, sso, egress, images);
  };
  auto attempts = run_token_attempts(*svc.tokens, need, std::move(options), std::move(attempt));
  auto failure = co_await std::move(attempts);
  if (failure) {
    auto r =
        http::error_response(failure->status, failure->message, failure->type, {}, failure->code);
    r.headers = std::move(failure->headers);
    co_await ex.send(std::move(r));
    co_return;
  }

  auto log = ops::logger("Images");
  json::array data;
  for (auto& img : images) {
    if (b64) {
      data.push_back(json::object{{"b64_json", encode_base64(img.bytes)}});
      continue;
    }
    std::string link;
    try {
      auto put = cached_image_link(ctx, cache, std::move(img));
      link = co_await std::move(put);
    } catch (const std::exception& e) {
      log->error("image cache: {}", e.what());
    }
    if (link.empty()) {
      co_await ex.send(http::error_response(500, "The image could not be stored.", "server_error",
                                            {}, "cache_error"));
      co_return;
    }
    if (auto* call = ex.request().call.get()) call->media_urls.push_back(link);
    data.push_back(json::object{{"url", link}});
  }
  int64_t created = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  json::object body{{"created", created}, {"data", std::move(data)}};
  co_await ex.send(http::json_response(200, json::serialize(body)));
}

std::chrono::milliseconds secs(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
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
  auto find = image_model(ex, ctx, svc, req.model, /*lite_too=*/true);
  const ModelEntry* model = co_await std::move(find);
  if (!model) co_return;
  upstream::grok::GrokClient& grok = *ctx.grok;
  if (model->mode == "lite") {
    // Charged as a Fast chat query (spec §2.5b).
    chat::TokenRequirement need{"fast", model->tiers};
    media::LiteImagesRequest lite;
    lite.prompt = req.prompt;
    lite.n = req.n;
    lite.model = model->id;
    lite.transport = settings->grok.chat_transport;
    lite.temporary = settings->grok.temporary;
    lite.timeouts.first_response = secs(settings->grok.stream_first_response_timeout);
    lite.timeouts.idle = secs(settings->grok.stream_chunk_timeout);
    lite.timeouts.total = secs(settings->grok.stream_total_timeout);
    chat::AdapterHost& adapter = *svc.chat_adapter;
    Round round = [&grok, &adapter, lite](const upstream::grok::Account& account,
                                          const upstream::grok::Egress& egress) {
      return media::lite_images(grok, adapter, account, egress, lite);
    };
    auto produce = produce_images(ex, ctx, svc, cache, *model, need, std::move(round), req.b64);
    co_await std::move(produce);
    co_return;
  }
  media::ImagineRequest imagine;
  imagine.prompt = req.prompt;
  imagine.n = req.n;
  imagine.aspect_ratio = req.aspect_ratio;
  imagine.pro = model->mode == "imagine-pro";
  imagine.idle = secs(settings->grok.stream_chunk_timeout);
  imagine.total = secs(settings->grok.stream_total_timeout);
  Round round = [&grok, imagine](const upstream::grok::Account& account,
                                 const upstream::grok::Egress& egress) {
    return media::imagine_generate(grok, account, egress, imagine);
  };
  chat::TokenRequirement need{model->mode, model->tiers, kImagineQuota};
  auto produce = produce_images(ex, ctx, svc, cache, *model, need, std::move(round), req.b64);
  co_await std::move(produce);
}

// Edits one round per image asked for: grok.com makes one edited image a call.
asio::awaitable<std::vector<media::GeneratedImage>> edit_rounds(upstream::grok::GrokClient& grok,
                                                                upstream::grok::Account account,
                                                                upstream::grok::Egress egress,
                                                                media::ImageEditRequest edit,
                                                                int n) {
  std::vector<media::GeneratedImage> images;
  while (static_cast<int>(images.size()) < n) {
    auto round = media::edit_image(grok, account, egress, edit);
    auto got = co_await std::move(round);
    for (auto& img : got)
      if (static_cast<int>(images.size()) < n) images.push_back(std::move(img));
  }
  co_return images;
}

asio::awaitable<void> images_edits(http::Exchange& ex, app::AppContext& ctx, OpenAiServices svc,
                                   media::ImageCache& cache) {
  auto settings = ctx.current();
  ImageEditInput in;
  std::optional<http::Response> invalid;
  try {
    in = parse_image_edit(ex.request().header("content-type"), ex.request().body,
                          kMaxEditImageBytes);
  } catch (const RequestError& e) {
    invalid = http::error_response(400, e.what(), "invalid_request_error", e.param(), e.code());
  }
  if (invalid) {
    co_await ex.send(std::move(*invalid));
    co_return;
  }
  auto find = image_model(ex, ctx, svc, in.model.empty() ? kDefaultModel : in.model,
                          /*lite_too=*/false);
  const ModelEntry* model = co_await std::move(find);
  if (!model) co_return;
  if (in.has_mask) ops::logger("Images")->info("edit: grok.com takes no mask; it was ignored");
  media::ImageEditRequest edit;
  edit.prompt = std::move(in.prompt);
  edit.images = std::move(in.images);
  edit.aspect_ratio = std::move(in.aspect_ratio);
  edit.first_byte = secs(settings->grok.stream_first_response_timeout);
  edit.idle = secs(settings->grok.stream_chunk_timeout);
  upstream::grok::GrokClient& grok = *ctx.grok;
  int n = in.n;
  Round round = [&grok, edit, n](const upstream::grok::Account& account,
                                 const upstream::grok::Egress& egress) {
    return edit_rounds(grok, account, egress, edit, n);
  };
  bool b64 = in.b64.value_or(settings->global.image_mode == "base64");
  chat::TokenRequirement need{model->mode, model->tiers, kEditQuota};
  auto produce = produce_images(ex, ctx, svc, cache, *model, need, std::move(round), b64);
  co_await std::move(produce);
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
      calllog::recorded(ctx.call_log,
                        admin::require_api_key(
                            ctx, [&ctx, svc, &cache](http::Exchange& ex) -> asio::awaitable<void> {
                              co_await images_generations(ex, ctx, svc, cache);
                            })));
  router.add(
      "POST", "/v1/images/edits",
      calllog::recorded(ctx.call_log,
                        admin::require_api_key(
                            ctx, [&ctx, svc, &cache](http::Exchange& ex) -> asio::awaitable<void> {
                              co_await images_edits(ex, ctx, svc, cache);
                            })));
  // Public, like the links grok.com hands out: the names are unguessable hashes.
  router.add("GET", "/images/{name}", [&ctx, &cache](http::Exchange& ex) -> asio::awaitable<void> {
    co_await serve_image(ex, ctx, cache);
  });
}

}  // namespace g2a::openai
