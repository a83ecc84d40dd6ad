#include "core/video/video_runner.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/app/context.hpp"
#include "core/calllog/call_record.hpp"
#include "core/chat/token_source.hpp"
#include "core/chat/turn_runner.hpp"
#include "core/media/image_input.hpp"
#include "core/openai/attempts_options.hpp"
#include "core/openai/settings_egress.hpp"
#include "core/openai/token_attempts.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/egress_service.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/problem.hpp"
#include "core/video/video_files.hpp"

namespace g2a::video {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;
using upstream::grok::UpstreamError;

namespace {

constexpr uint64_t kMaxVideoBytes = 1ull << 30;
constexpr uint64_t kMaxThumbnailBytes = 32u << 20;

std::chrono::milliseconds secs(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
}

bool abandoned(const GenerationInput& in) {
  return in.abandoned && in.abandoned->load();
}

const Diagnosis kAbandoned{Problem::kTransport, 0, "the task was abandoned"};

// What the adapter's events said about the generation.
class VideoSink final : public chat::TurnSink {
 public:
  VideoSink(const GenerationInput& in, bool& started) : in_(in), started(started) {}

  asio::awaitable<bool> event(const json::object& e) override {
    if (in_.abandoned && in_.abandoned->load()) co_return false;
    auto type =
        e.contains("type") && e.at("type").is_string() ? e.at("type").as_string() : json::string();
    if (type == "progress") {
      if (auto* p = e.if_contains("progress"); p && p->is_number()) {
        int v = static_cast<int>(std::clamp(p->to_number<double>(), 0.0, 100.0));
        started = true;
        // 100 is for the task once its files are cached.
        if (in_.on_progress) in_.on_progress(std::min(v, 99));
      }
    } else if (type == "video") {
      started = true;
      url = str(e, "url");
      thumbnail = str(e, "thumbnail_url");
      resolution = str(e, "resolution");
    } else if (type == "error" && !error) {
      error_code = str(e, "code");
      error_message = str(e, "message");
      if (error_code == "moderated")
        error = Diagnosis{Problem::kModerated, 0, error_message};
      else if (error_code == "no_video_generated")
        error = Diagnosis{Problem::kServerError, 0, error_message};
      else
        error = upstream::grok::diagnose_stream_error(error_code, error_message);
    }
    co_return true;
  }
  asio::awaitable<bool> idle() override { co_return !(in_.abandoned && in_.abandoned->load()); }

  static std::string str(const json::object& e, std::string_view key) {
    auto* v = e.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  const GenerationInput& in_;
  // Set by the first progress or result, even if the turn then fails: from here on another
  // account would be charged again.
  bool& started;
  std::string url, thumbnail, resolution;
  std::optional<Diagnosis> error;
  std::string error_code, error_message;
};

std::string request_json(const GenerationInput& in, const std::string& tier,
                         const upstream::grok::UploadedFile* reference) {
  json::object r{{"kind", "video"},          {"model", in.model->id},
                 {"prompt", in.task.prompt}, {"seconds", std::atoi(in.task.seconds.c_str())},
                 {"size", in.task.size},     {"tier", tier}};
  if (reference)
    r["reference"] =
        json::object{{"file_id", reference->file_metadata_id}, {"file_uri", reference->file_uri}};
  return json::serialize(r);
}

}  // namespace

namespace {
// Not in the header: the call's own egress and idle limit.
asio::awaitable<void> download_asset(app::AppContext& ctx, upstream::grok::Account account,
                                     upstream::grok::Egress egress, std::string url,
                                     VideoFiles& files, std::string name, uint64_t max_bytes,
                                     std::chrono::milliseconds idle,
                                     std::shared_ptr<std::atomic<bool>> stop = nullptr) {
  auto stream = ctx.grok->asset(account, egress, url);
  auto head = co_await stream->head(idle);
  if (head.status < 200 || head.status >= 300) {
    std::string body;
    while (auto piece = co_await stream->next(idle)) {
      body += *piece;
      if (body.size() > (64u << 10)) break;
    }
    throw UpstreamError(upstream::grok::diagnose_http(head.status, body, head.headers));
  }
  // What grok.com's assets serve (spec §2.9): video/* or octet-stream for a video, image/*
  // for a thumbnail. A challenge or login page answered with 200 is not a video.
  std::string type = head.header("content-type");
  bool image = name.find(".thumbnail.") != std::string::npos;
  bool fits = type.empty() || type.starts_with(image ? "image/" : "video/") ||
              type.starts_with("application/octet-stream") || type.starts_with("binary/");
  if (!fits)
    throw UpstreamError(
        Diagnosis{Problem::kServerError, head.status,
                  "the asset came as " + type + ", not " + (image ? "an image" : "a video")});
  runtime::BlockingPool& pool = *ctx.blocking;
  auto begin = pool.run([&files, name] { files.begin_blocking(name); });
  co_await std::move(begin);
  uint64_t total = 0;
  std::exception_ptr failed;
  try {
    while (auto piece = co_await stream->next(idle)) {
      if (stop && stop->load()) throw std::runtime_error("the task was abandoned");
      total += piece->size();
      if (total > max_bytes)
        throw UpstreamError(
            Diagnosis{Problem::kServerError, head.status,
                      "the asset is larger than " + std::to_string(max_bytes) + " bytes"});
      auto append = pool.run(
          [&files, name, chunk = std::move(*piece)] { files.append_blocking(name, chunk); });
      co_await std::move(append);
    }
  } catch (...) {
    failed = std::current_exception();
  }
  if (!failed && total == 0)
    failed = std::make_exception_ptr(
        UpstreamError(Diagnosis{Problem::kServerError, head.status, "the asset was empty"}));
  if (failed) {
    auto drop = pool.run([&files, name] { files.remove_blocking(name); });  // the .part file
    co_await std::move(drop);
    std::rethrow_exception(failed);
  }
  auto commit = pool.run([&files, name] { files.commit_blocking(name); });
  co_await std::move(commit);
}

}  // namespace

asio::awaitable<void> download_asset(app::AppContext& ctx, const std::string& sso,
                                     const std::string& url, VideoFiles& files,
                                     const std::string& name, uint64_t max_bytes) {
  auto settings = ctx.current();
  std::optional<upstream::grok::Egress> egress;
  if (ctx.egress) egress = ctx.egress->for_assets(sso);
  if (!egress) egress = openai::settings_egress(*settings);
  upstream::grok::Account account{sso, {}};
  auto get = download_asset(ctx, account, *egress, url, files, name, max_bytes,
                            secs(settings->grok.stream_chunk_timeout));
  co_await std::move(get);
}

namespace {

// What one task's attempts share.
struct Generation {
  app::AppContext& ctx;
  VideoFiles& files;
  const GenerationInput& in;
  GenerationResult& out;
  const chat::TurnTimeouts& timeouts;
  const std::string& tier;
  bool& started;  // the upstream began generating: another account would pay again
  const std::string& video_name;
  const std::string& thumb_name;
  std::string adapter_code, adapter_message;
};

asio::awaitable<std::optional<Diagnosis>> attempt_generation(Generation& g, std::string sso,
                                                             upstream::grok::Egress egress) {
  auto log = ops::logger("Video");
  const GenerationInput& in = g.in;
  upstream::grok::Account account{sso, {}};
  std::optional<upstream::grok::UploadedFile> uploaded;
  if (abandoned(in)) co_return kAbandoned;
  if (!in.reference_bytes.empty()) {
    media::ImageBytes img{in.reference_bytes, in.reference_mime};
    auto up = g.ctx.grok->upload(account, egress, media::upload_name("reference", img),
                                 in.reference_mime, in.reference_bytes, /*imagine=*/true);
    uploaded = co_await std::move(up);
  }
  if (abandoned(in)) co_return kAbandoned;
  std::string req = request_json(in, g.tier, uploaded ? &*uploaded : nullptr);
  VideoSink sink(in, g.started);
  auto turn = chat::run_turn(*g.ctx.grok, *in.model->adapter, account, egress, std::move(req),
                             g.timeouts, sink);
  co_await std::move(turn);
  if (abandoned(in)) co_return kAbandoned;
  if (sink.error) {
    g.adapter_code = sink.error_code;
    g.adapter_message = sink.error_message;
    co_return sink.error;
  }
  if (sink.url.empty()) {
    g.adapter_code = "no_video_generated";
    g.adapter_message = "the upstream stream ended without a video";
    co_return Diagnosis{Problem::kServerError, 0, g.adapter_message};
  }
  g.out.asset_url = sink.url;
  g.out.thumbnail_asset = sink.thumbnail;
  g.out.resolution = sink.resolution;
  auto get = download_asset(g.ctx, account, egress, sink.url, g.files, g.video_name, kMaxVideoBytes,
                            g.timeouts.idle, in.abandoned);
  co_await std::move(get);
  g.out.video_path = g.video_name;
  if (!sink.thumbnail.empty()) {
    std::optional<std::string> thumb_error;
    try {
      auto thumb = download_asset(g.ctx, account, egress, sink.thumbnail, g.files, g.thumb_name,
                                  kMaxThumbnailBytes, g.timeouts.idle, in.abandoned);
      co_await std::move(thumb);
      g.out.thumbnail_path = g.thumb_name;
    } catch (const std::exception& e) {
      thumb_error = e.what();
    }
    if (thumb_error) log->warn("task {}: thumbnail not cached: {}", in.task.id, *thumb_error);
  }
  co_return std::nullopt;
}

}  // namespace

asio::awaitable<GenerationResult> run_generation(app::AppContext& ctx, chat::TokenSource& tokens,
                                                 VideoFiles& files, GenerationInput in,
                                                 calllog::CallRecord& call) {
  GenerationResult out;
  auto settings = ctx.current();
  auto log = ops::logger("Video");
  const VideoModel& model = *in.model;
  int seconds = std::atoi(in.task.seconds.c_str());
  chat::TokenRequirement need = model.requirement(seconds);
  if (!ctx.grok) {
    out.error_code = "upstream_unavailable";
    out.error_message = "the grok.com client is not available (the signer plugin did not load)";
    co_return out;
  }
  openai::TokenAttemptsOptions options =
      openai::attempts_options(ctx, *settings, "Video", model.id, &call);
  std::string tier = "auto";
  options.on_lease = [&tier](const chat::TokenLease& lease) {
    tier = lease.tier().empty() ? "auto" : std::string(lease.tier());
  };
  bool started = false;  // the upstream began generating: another account would pay again
  // Once grok.com began a video, another account would be charged again; nor does a
  // deleted task go on.
  options.may_move = [&started, &in] {
    return !started && !(in.abandoned && in.abandoned->load());
  };
  chat::TurnTimeouts timeouts;
  timeouts.first_response = secs(settings->grok.stream_first_response_timeout);
  timeouts.idle = std::max(secs(settings->grok.stream_chunk_timeout), std::chrono::milliseconds(1));
  timeouts.total = secs(settings->video.generation_timeout);
  std::string video_name = in.task.id + ".mp4";
  std::string thumb_name = in.task.id + ".thumbnail.jpg";

  Generation gen{ctx, files, in, out, timeouts, tier, started, video_name, thumb_name, {}, {}};
  openai::TokenAttempt attempt = [&gen](const std::string& sso,
                                        const upstream::grok::Egress& egress) {
    return attempt_generation(gen, sso, egress);
  };
  std::optional<openai::ClientFailure> failure;
  std::optional<std::string> crashed;
  auto began = std::chrono::steady_clock::now();
  try {
    auto attempts =
        openai::run_token_attempts(tokens, need, std::move(options), std::move(attempt));
    failure = co_await std::move(attempts);
  } catch (const std::exception& e) {
    crashed = e.what();
  }
  if (crashed) {
    out.error_code = "generation_error";
    out.error_message = *crashed;
    co_return out;
  }
  if (!failure) {
    out.ok = true;
    co_return out;
  }
  if (!gen.adapter_code.empty()) {
    out.error_code = gen.adapter_code;
    out.error_message = gen.adapter_message.empty() ? failure->message : gen.adapter_message;
  } else if (std::chrono::steady_clock::now() - began >= timeouts.total) {
    out.error_code = "timeout";
    out.error_message = "the generation took longer than video.generation_timeout (" +
                        std::to_string(timeouts.total.count() / 1000) + " s): " + failure->message;
  } else {
    out.error_code = failure->code.empty() ? "generation_error" : failure->code;
    out.error_message = failure->message;
  }
  co_return out;
}

}  // namespace g2a::video
