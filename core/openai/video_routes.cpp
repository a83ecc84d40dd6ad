#include "core/openai/video_routes.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/calllog/call_record.hpp"
#include "core/calllog/recorded_route.hpp"
#include "core/http/byte_range.hpp"
#include "core/media/image_fetch.hpp"
#include "core/openai/video_request.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/video/video_files.hpp"
#include "core/video/video_service.hpp"
#include "core/video/video_task.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
namespace json = boost::json;
using video::VideoError;
using video::VideoService;

namespace {

constexpr const char* kDefaultModel = "sora-2";
constexpr uint64_t kChunkBytes = 1u << 20;  // a file is sent a piece at a time

http::Response video_error(const VideoError& e) {
  auto r = http::error_response(e.status(), e.what(), http::error_type_for(e.status()), e.param(),
                                e.code());
  // The SDKs retry a 409 (spec §5.3); asking again at once will not make a video ready.
  if (e.status() == 409) r.headers.push_back({"x-should-retry", "false"});
  return r;
}

// A key limited to some models cannot read, download or delete tasks of the others.
std::optional<http::Response> task_refusal(app::AppContext& ctx, const http::Request& req,
                                           const VideoService& svc, const std::string& id) {
  auto t = svc.find(id);
  if (!t) return std::nullopt;
  return admin::model_refusal(ctx, req, t->model);
}

http::Response not_found(const std::string& id) {
  return http::error_response(404, "No video found with id '" + id + "'.", {}, "video_id",
                              "video_not_found");
}

// Notes a refused request in its call-log record.
void note_error(http::Exchange& ex, const VideoError& e) {
  if (auto* call = ex.request().call.get()) call->error_message = e.what();
}

std::optional<int64_t> integer(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// ---- files -------------------------------------------------------------------------

struct FileAnswer {
  std::string name;  // in VideoFiles
  std::string content_type;
  std::string download_name;  // Content-Disposition filename
  std::string cache_control;
};

// Streams a cached file, whole or the range asked for, a piece at a time from the
// blocking pool (a video is never held in memory whole).
asio::awaitable<void> send_file(http::Exchange& ex, runtime::BlockingPool& pool,
                                const video::VideoFiles& files, FileAnswer file) {
  auto stat = pool.run([&files, name = file.name] { return files.size_blocking(name); });
  std::optional<uint64_t> size = co_await std::move(stat);
  if (!size) {
    co_await ex.send(http::error_response(404, "The file is no longer cached.",
                                          "invalid_request_error", {}, "file_not_found"));
    co_return;
  }
  // A conditional range (If-Range) would need a validator; without one the whole file is
  // the safe answer (RFC 9110 §13.1.5).
  std::string_view range_header =
      ex.request().header("if-range").empty() ? ex.request().header("range") : "";
  http::ByteRange range = http::parse_byte_range(range_header, *size);
  std::vector<http::Header> headers{{"Accept-Ranges", "bytes"},
                                    {"X-Content-Type-Options", "nosniff"}};
  if (range.kind == http::ByteRange::Kind::kUnsatisfiable) {
    auto r = http::error_response(416, "The requested range is outside the file.",
                                  "invalid_request_error", "range", "range_not_satisfiable");
    headers.push_back({"Content-Range", http::content_range(range, *size)});
    r.headers = std::move(headers);
    co_await ex.send(std::move(r));
    co_return;
  }
  headers.push_back({"Content-Disposition", "inline; filename=\"" + file.download_name + "\""});
  if (!file.cache_control.empty()) headers.push_back({"Cache-Control", file.cache_control});
  int status = 200;
  if (range.kind == http::ByteRange::Kind::kPartial) {
    status = 206;
    headers.push_back({"Content-Range", http::content_range(range, *size)});
  }
  co_await ex.begin_sized(status, file.content_type, range.length, std::move(headers));
  uint64_t offset = range.offset, end = range.offset + range.length;
  if (ex.request().method == "HEAD") end = offset;  // the header says it all
  auto log = ops::logger("Video");
  while (offset < end) {
    uint64_t n = std::min(kChunkBytes, end - offset);
    std::string piece;
    bool failed = false;
    try {
      auto read = pool.run(
          [&files, name = file.name, offset, n] { return files.read_blocking(name, offset, n); });
      piece = co_await std::move(read);
    } catch (const std::exception& e) {
      log->warn("reading {} failed: {}", file.name, e.what());
      failed = true;
    }
    // A file cut short under us (removed meanwhile) ends the answer; the server closes
    // the connection since the length was promised.
    if (failed || piece.empty()) break;
    offset += piece.size();
    bool sent = co_await ex.write(piece);
    if (!sent) break;
  }
  co_await ex.end_stream();
}

std::optional<video::Variant> variant_of(const std::optional<std::string>& v) {
  if (!v || v->empty() || *v == "video" || *v == "mp4") return video::Variant::kVideo;
  if (*v == "thumbnail") return video::Variant::kThumbnail;
  if (*v == "spritesheet") return video::Variant::kSpritesheet;
  return std::nullopt;
}

// "<id>.mp4" for the video, "<id>.thumbnail.jpg" for the thumbnail (the cached file's
// extension, whatever it is).
std::string download_name(const std::string& id, video::Variant variant,
                          const video::ContentFile& f) {
  auto dot = f.name.rfind('.');
  std::string ext = dot == std::string::npos ? "bin" : f.name.substr(dot + 1);
  return id + (variant == video::Variant::kVideo ? "." : ".thumbnail.") + ext;
}

asio::awaitable<void> content(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  std::string id = ex.request().params["id"];
  auto fresh = svc.refresh(id);  // made or changed on another instance a moment ago
  co_await std::move(fresh);
  if (auto refusal = task_refusal(ctx, ex.request(), svc, id)) {
    co_await ex.send(std::move(*refusal));
    co_return;
  }
  auto variant = variant_of(ex.request().query_param("variant"));
  if (!variant) {
    co_await ex.send(http::error_response(400, "`variant` must be video, thumbnail or spritesheet.",
                                          "invalid_request_error", "variant", "invalid_value"));
    co_return;
  }
  std::optional<http::Response> refused;
  video::ContentFile file;
  try {
    auto get = svc.content(id, *variant);
    file = co_await std::move(get);
  } catch (const VideoError& e) {
    note_error(ex, e);
    refused = video_error(e);
  }
  if (refused) {
    co_await ex.send(std::move(*refused));
    co_return;
  }
  if (!ctx.blocking) throw std::runtime_error("no blocking pool");
  FileAnswer answer{file.name, file.content_type, download_name(id, *variant, file),
                    "private, max-age=3600"};
  co_await send_file(ex, *ctx.blocking, svc.files(), std::move(answer));
}

// GET /videos/{name}: a cached file by name. A video whose file went missing is fetched
// again through its task.
asio::awaitable<void> public_file(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  std::string name = ex.request().params["name"];
  std::optional<video::ContentFile> file;
  if (video::VideoFiles::valid_name(name) && ctx.blocking) {
    auto fresh = svc.refresh(name.substr(0, name.find('.')));
    co_await std::move(fresh);
    // Only a completed task's video or thumbnail: never a reference image, nor a file of a
    // task that is gone.
    auto get = svc.public_content(name);
    file = co_await std::move(get);
  }
  if (!file) {
    co_await ex.send(
        http::error_response(404, "No such video.", "invalid_request_error", {}, "not_found"));
    co_return;
  }
  FileAnswer answer{file->name, file->content_type, file->name, "public, max-age=86400"};
  co_await send_file(ex, *ctx.blocking, svc.files(), std::move(answer));
}

// ---- /v1 ---------------------------------------------------------------------------

http::Response video_object(const VideoService& svc, const video::VideoTask& t) {
  auto r = http::json_response(200, json::serialize(video::to_openai(t)));
  if (!t.terminal())
    r.headers.push_back({"openai-poll-after-ms", std::to_string(svc.poll_after_ms())});
  return r;
}

// Runs what may throw a VideoError; the error becomes the answer to send (and a note in
// the call-log record).
template <class F>
std::optional<http::Response> refusal_of(http::Exchange& ex, F&& f) {
  try {
    f();
  } catch (const VideoError& e) {
    note_error(ex, e);
    return video_error(e);
  }
  return std::nullopt;
}

// Awaits a service call that makes a task and answers with it, or with its VideoError.
asio::awaitable<void> answer_task(http::Exchange& ex, const VideoService& svc,
                                  asio::awaitable<video::VideoTask> op) {
  std::optional<video::VideoTask> task;
  std::optional<http::Response> refused;
  try {
    task = co_await std::move(op);
  } catch (const VideoError& e) {
    note_error(ex, e);
    refused = video_error(e);
  }
  // A named answer: g++ 12 frees a conditional's temporary twice inside co_await.
  http::Response answer = refused ? std::move(*refused) : video_object(svc, *task);
  co_await ex.send(std::move(answer));
}

asio::awaitable<void> create(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  auto settings = ctx.current();
  size_t max_reference = media::fetch_limits(settings->global).max_bytes;
  video::CreateInput in;
  auto parse = [&] {
    in = parse_video_create(ex.request().header("content-type"), ex.request().body, max_reference);
  };
  std::optional<http::Response> refused = refusal_of(ex, parse);
  if (!refused) {
    if (in.model.empty()) in.model = kDefaultModel;
    if (auto* call = ex.request().call.get()) call->model = in.model;
    refused = admin::model_refusal(ctx, ex.request(), in.model);
  }
  if (refused) {
    co_await ex.send(std::move(*refused));
    co_return;
  }
  in.api_key_name = ex.request().api_key_name;
  in.call = ex.request().call;  // the task takes the record over: one record per task
  auto made = svc.create(std::move(in));
  co_await answer_task(ex, svc, std::move(made));
}

asio::awaitable<void> remix(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  std::string id = ex.request().params["id"];
  auto fresh = svc.refresh(id);  // made or changed on another instance a moment ago
  co_await std::move(fresh);
  VideoRemixInput in;
  auto parse = [&] {
    in = parse_video_remix(ex.request().header("content-type"), ex.request().body);
  };
  std::optional<http::Response> refused = refusal_of(ex, parse);
  if (!refused) {
    auto source = svc.find(id);
    if (!source) {
      refused = not_found(id);
    } else {
      if (auto* call = ex.request().call.get()) call->model = source->model;
      refused = admin::model_refusal(ctx, ex.request(), source->model);
    }
  }
  if (refused) {
    co_await ex.send(std::move(*refused));
    co_return;
  }
  auto made = svc.remix(id, std::move(in.prompt), std::move(in.user), ex.request().api_key_name,
                        ex.request().call);
  co_await answer_task(ex, svc, std::move(made));
}

asio::awaitable<void> list(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  const auto& req = ex.request();
  std::string after = req.query_param("after").value_or("");
  std::string order = req.query_param("order").value_or("desc");
  std::optional<int64_t> limit = integer(req.query_param("limit").value_or("20"));
  std::optional<http::Response> refused;
  if (!limit || *limit < 1 || *limit > 100)
    refused = http::error_response(400, "`limit` must be an integer from 1 to 100.",
                                   "invalid_request_error", "limit", "invalid_value");
  else if (order != "asc" && order != "desc")
    refused = http::error_response(400, "`order` must be asc or desc.", "invalid_request_error",
                                   "order", "invalid_value");
  video::ListPage page;
  if (!refused)
    refused = refusal_of(ex, [&] {
      auto visible = [&ctx, &req](const video::VideoTask& t) {
        return admin::key_allows_model(ctx, req, t.model);
      };
      page = svc.list(after, static_cast<size_t>(*limit), order == "asc", visible);
    });
  if (refused) {
    co_await ex.send(std::move(*refused));
    co_return;
  }
  json::array data;
  for (const auto& t : page.data) data.push_back(video::to_openai(t));
  json::value first = page.data.empty() ? json::value(nullptr) : json::value(page.data.front().id);
  json::value last = page.data.empty() ? json::value(nullptr) : json::value(page.data.back().id);
  json::object body{{"object", "list"},
                    {"data", std::move(data)},
                    {"first_id", std::move(first)},
                    {"last_id", std::move(last)},
                    {"has_more", page.has_more}};
  co_await ex.send(http::json_response(200, json::serialize(body)));
}

asio::awaitable<void> retrieve(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  std::string id = ex.request().params["id"];
  auto fresh = svc.refresh(id);  // made or changed on another instance a moment ago
  co_await std::move(fresh);
  if (auto refusal = task_refusal(ctx, ex.request(), svc, id)) {
    co_await ex.send(std::move(*refusal));
    co_return;
  }
  auto task = svc.find(id);
  http::Response answer = task ? video_object(svc, *task) : not_found(id);
  co_await ex.send(std::move(answer));
}

asio::awaitable<void> delete_video(http::Exchange& ex, app::AppContext& ctx, VideoService& svc) {
  std::string id = ex.request().params["id"];
  auto fresh = svc.refresh(id);  // made or changed on another instance a moment ago
  co_await std::move(fresh);
  if (auto refusal = task_refusal(ctx, ex.request(), svc, id)) {
    co_await ex.send(std::move(*refusal));
    co_return;
  }
  auto op = svc.remove(id);
  bool removed = co_await std::move(op);
  if (!removed) {
    co_await ex.send(not_found(id));
    co_return;
  }
  json::object body{{"id", id}, {"object", "video.deleted"}, {"deleted", true}};
  co_await ex.send(http::json_response(200, json::serialize(body)));
}

// ---- /api (admin) ------------------------------------------------------------------

json::object admin_video(const video::VideoTask& t) {
  json::object o = video::to_openai(t);
  o["sso"] = ops::mask_token(t.sso_token);
  o["proxy_used"] = ops::mask_url_credentials(t.proxy_used);
  o["updated_at"] = t.updated_at_ms;  // ms
  o["api_key_name"] = t.api_key_name;
  o["attempts"] = t.attempts;
  o["resolution"] = t.resolution;
  return o;
}

asio::awaitable<void> admin_list(http::Exchange& ex, app::AppContext&, VideoService& svc) {
  const auto& req = ex.request();
  std::string status = req.query_param("status").value_or("");
  std::optional<int64_t> limit = integer(req.query_param("limit").value_or("50"));
  std::optional<int64_t> offset = integer(req.query_param("offset").value_or("0"));
  if (!status.empty() && status != video::kQueued && status != video::kInProgress &&
      status != video::kCompleted && status != video::kFailed) {
    co_await ex.send(admin::pro_error(400,
                                      "status must be queued, in_progress, completed or failed",
                                      "status", "INVALID_PARAMETER"));
    co_return;
  }
  if (!limit || *limit < 1 || *limit > 1000 || !offset || *offset < 0) {
    co_await ex.send(admin::pro_error(400, "limit must be 1..1000 and offset 0 or more", "limit",
                                      "INVALID_PARAMETER"));
    co_return;
  }
  json::array videos;
  size_t total = 0;
  for (const auto& t : svc.all()) {
    if (!status.empty() && t.status != status) continue;
    if (total >= static_cast<size_t>(*offset) && videos.size() < static_cast<size_t>(*limit))
      videos.push_back(admin_video(t));
    ++total;
  }
  json::object body{{"videos", std::move(videos)}, {"total", total}};
  co_await ex.send(admin::pro_ok(std::move(body)));
}

asio::awaitable<void> admin_remove(http::Exchange& ex, app::AppContext&, VideoService& svc) {
  std::string id = ex.request().params["id"];
  auto fresh = svc.refresh(id);  // made or changed on another instance a moment ago
  co_await std::move(fresh);
  auto op = svc.remove(id);
  bool removed = co_await std::move(op);
  if (!removed) {
    co_await ex.send(admin::pro_error(404, "no video " + id, "id", "NOT_FOUND"));
    co_return;
  }
  json::object body{{"id", id}, {"deleted", true}};
  co_await ex.send(admin::pro_ok(std::move(body)));
}

}  // namespace

void add_video_routes(http::Router& router, app::AppContext& ctx, VideoService& videos) {
  using Fn = asio::awaitable<void> (*)(http::Exchange&, app::AppContext&, VideoService&);
  VideoService* svc = &videos;
  app::AppContext* c = &ctx;
  auto bound = [c, svc](Fn fn) -> http::Handler {
    return [c, svc, fn](http::Exchange& ex) -> asio::awaitable<void> {
      auto op = fn(ex, *c, *svc);
      co_await std::move(op);
    };
  };
  // /v1 needs an API key; what makes a task gets a call-log record (reads do not, as
  // /v1/models: a client polling every two seconds would bury the real calls).
  auto keyed = [&](Fn fn) { return admin::require_api_key(ctx, bound(fn)); };
  auto recorded = [&](Fn fn) { return calllog::recorded(ctx.call_log, keyed(fn)); };
  router.add("POST", "/v1/videos", recorded(create));
  router.add("POST", "/v1/videos/generations", recorded(create));  // the Pro service's path
  router.add("GET", "/v1/videos", keyed(list));
  router.add("GET", "/v1/videos/{id}", keyed(retrieve));
  router.add("DELETE", "/v1/videos/{id}", keyed(delete_video));
  router.add("POST", "/v1/videos/{id}/remix", recorded(remix));
  router.add("GET", "/v1/videos/{id}/content", keyed(content));
  // Public, like /images/{name}: task ids are 96 random bits.
  router.add("GET", "/videos/{name}", bound(public_file));
  router.add("GET", "/api/videos", admin::require_admin(ctx, bound(admin_list)));
  router.add("DELETE", "/api/videos/{id}", admin::require_admin(ctx, bound(admin_remove)));
}

}  // namespace g2a::openai
