// The Video API's tasks: validation, the queue under video.max_concurrency, the runs (one
// video-adapter turn with a pool account and its egress, then the files cached), their
// persistence in the "video_tasks" collection, recovery after a restart, and the
// retention sweep. Routes (core/openai/video_routes) only translate HTTP to these calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/video/video_task.hpp"

namespace g2a::app {
struct AppContext;
}
namespace g2a::calllog {
struct CallRecord;
}
namespace g2a::chat {
class TokenSource;
}

namespace g2a::video {

class VideoFiles;
class VideoModels;

// A request the client must change (400, with the field in param), a task that does not
// exist (404) or is not in a state for it (409, code "video_not_ready").
class VideoError : public std::runtime_error {
 public:
  VideoError(int status, std::string param, std::string code, const std::string& message)
      : std::runtime_error(message),
        status_(status),
        param_(std::move(param)),
        code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& param() const { return param_; }  // "" when none
  const std::string& code() const { return code_; }    // "invalid_value", "video_not_found"

 private:
  int status_;
  std::string param_, code_;
};

struct ReferenceInput {
  std::string bytes;     // an uploaded file or a decoded data: URL ...
  std::string mime;      // ... with its type
  std::string filename;  // as uploaded, for the record
  std::string url;       // or an http(s) URL to fetch (image-fetch rules)
  bool empty() const { return bytes.empty() && url.empty(); }
};

struct CreateInput {
  std::string prompt;   // required, 1..32000 characters
  std::string model;    // "" = "sora-2"
  std::string seconds;  // "" = the model's default; an integer string (or number as text)
  std::string size;     // "" = the model's default
  ReferenceInput reference;
  std::string user;
  std::string api_key_name;  // which key created it ("" = open access)
  // The request's call-log record: the task takes it over (handed_off) and submits it
  // when the generation ends, so a task is one record. Null: the task makes its own.
  std::shared_ptr<calllog::CallRecord> call;
};

struct ListPage {
  std::vector<VideoTask> data;
  bool has_more = false;
};

enum class Variant { kVideo, kThumbnail, kSpritesheet };

struct ContentFile {
  std::string name;  // in VideoFiles
  std::string content_type;
  uint64_t size = 0;
};

struct ServiceOptions {
  app::AppContext* ctx = nullptr;
  chat::TokenSource* tokens = nullptr;
  const VideoModels* models = nullptr;
  VideoFiles* files = nullptr;
  boost::asio::any_io_executor io;  // where generations and the sweep run
};

class VideoService {
 public:
  explicit VideoService(ServiceOptions options);
  ~VideoService();
  VideoService(const VideoService&) = delete;
  VideoService& operator=(const VideoService&) = delete;

  // Loads the stored tasks: queued ones queue again; in-progress ones (their generation
  // died with the process) fail with "interrupted", or queue again when
  // video.resubmit_interrupted is on. Blocking (start-up).
  void load_blocking();
  // A store several instances share (mysql, redis): memory takes what the others wrote
  // (new tasks, progress, outcomes, deletions), and takes over the in-progress tasks of an
  // instance that died (its claims lapsed). Blocking; every storage.sync_interval.
  void sync_blocking();
  // Re-reads one task from a shared store before a route answers about it, so that a task
  // made or changed on another instance a moment ago is seen. No-op on a file store.
  boost::asio::awaitable<void> refresh(std::string id);
  // Starts the queue and the retention sweep on the I/O executor.
  void start();
  // Stops taking work; running generations are abandoned (they read as interrupted on
  // the next start) and every dirty task is written. Blocking (shutdown).
  void stop_blocking();
  // Generations still unwinding (after stop_blocking, until their transfers end).
  size_t running_generations() const;

  // Validates (VideoError 400 naming the field), fetches a reference URL, stores the task
  // and queues it. The answer is the queued task.
  boost::asio::awaitable<VideoTask> create(CreateInput in);
  // A new task from a completed one: image-to-video from its thumbnail with a new prompt.
  // 404 unknown id, 409 not completed, 400 bad prompt.
  boost::asio::awaitable<VideoTask> remix(std::string id, std::string prompt, std::string user,
                                          std::string api_key_name,
                                          std::shared_ptr<calllog::CallRecord> call = nullptr);
  std::optional<VideoTask> find(const std::string& id) const;
  // Ordered by created_at (then id); after: the id the page starts after (400 param
  // "after" when unknown); limit 1..100.
  // visible: which tasks this client may see (all when empty).
  ListPage list(const std::string& after, size_t limit, bool ascending,
                const std::function<bool(const VideoTask&)>& visible = {}) const;
  // Every task, newest first (the admin listing).
  std::vector<VideoTask> all() const;
  // Removes the task and its files; false when unknown. A running generation is
  // abandoned.
  boost::asio::awaitable<bool> remove(std::string id);
  // The file to serve: 404 unknown task, 409 not completed ("video_not_ready"), 404 for
  // a variant that does not exist (spritesheet: grok.com makes none). Fetches the file
  // again from the upstream asset with the generating account when it is missing.
  boost::asio::awaitable<ContentFile> content(std::string id, Variant variant);
  // The file a public link (GET /videos/{name}) names: only a completed task's video or
  // thumbnail, fetched again when missing; nullopt for anything else in the cache (reference
  // images, files of deleted or unfinished tasks).
  boost::asio::awaitable<std::optional<ContentFile>> public_content(std::string name);
  // Waits until the task is terminal or the deadline passes; the task as it then is.
  boost::asio::awaitable<VideoTask> wait(std::string id, std::chrono::milliseconds limit);

  // openai-poll-after-ms while a task is queued or in progress.
  int64_t poll_after_ms() const;
  const VideoFiles& files() const;
  const VideoModels& models() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace g2a::video
