#include "core/video/video_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "core/app/context.hpp"
#include "core/calllog/call_record.hpp"
#include "core/calllog/event_feed.hpp"
#include "core/calllog/recorder.hpp"
#include "core/calllog/state_event.hpp"
#include "core/chat/token_source.hpp"
#include "core/media/image_fetch.hpp"
#include "core/media/image_input.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/single_flight.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/periodic_task.hpp"
#include "core/storage/store.hpp"
#include "core/upstream/grok/headers.hpp"
#include "core/upstream/signal.hpp"
#include "core/video/video_files.hpp"
#include "core/video/video_models.hpp"
#include "core/video/video_runner.hpp"

namespace g2a::video {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kCollection = "video_tasks";
constexpr size_t kMaxPromptChars = 32000;
constexpr std::string_view kDefaultModel = "sora-2";
constexpr size_t kRemovedCursors = 10000;
constexpr std::string_view kInterruptedMessage =
    "The gateway stopped while this video was being generated, and grok.com cannot resume a "
    "generation. Create the video again (or set video.resubmit_interrupted).";

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

[[noreturn]] void bad(std::string param, const std::string& message,
                      std::string code = "invalid_value") {
  throw VideoError(400, std::move(param), std::move(code), message);
}

[[noreturn]] void not_found(const std::string& id) {
  throw VideoError(404, "video_id", "video_not_found", "No video found with id '" + id + "'.");
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "8", " 8 ", "8.0" -> 8; anything else -> nullopt.
std::optional<int> parse_seconds(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() > 2 && s.substr(s.size() - 2) == ".0") s.remove_suffix(2);
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The text with every byte that is not part of valid UTF-8 replaced by U+FFFD: upstream
// messages are clipped anywhere, and stores and clients want valid JSON strings.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n > 1) {
      // No overlong forms, no surrogates, nothing above U+10FFFF.
      uint32_t cp = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      ok = !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
           !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// "<host>:<pid>:<random>": unique per process, readable in the claims table.
std::string instance_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  unsigned char raw[6] = {0};
  RAND_bytes(raw, sizeof raw);
  std::string out = std::string(host) + ":" + std::to_string(getpid()) + ":";
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string claim_name(const std::string& id) {
  return "video:" + id;
}

std::optional<VideoTask> parse_task(const std::string& doc) {
  json::error_code ec;
  auto v = json::parse(doc, ec);
  return ec ? std::nullopt : from_document(v);
}

bool sort_before(const VideoTask& a, const VideoTask& b) {
  return std::tie(a.created_ms, a.id) < std::tie(b.created_ms, b.id);
}

}  // namespace

struct VideoService::Impl : std::enable_shared_from_this<VideoService::Impl> {
  ServiceOptions o;
  app::AppContext& ctx;
  VideoFiles& files;
  const VideoModels& models;

  mutable std::mutex mu;
  std::map<std::string, VideoTask> tasks;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running;    // id -> abandoned flag
  std::map<std::string, std::shared_ptr<calllog::CallRecord>> records;  // handed-off records
  std::deque<std::string> queue;
  std::set<std::string> retry_later;            // queued tasks whose claim could not be taken (yet)
  std::map<std::string, int64_t> renewed_ms;    // running: when its claim was last taken
  uint64_t inserts = 0;                         // tasks made here so far ...
  std::map<std::string, uint64_t> inserted_at;  // ... and when, until a sync lists them
  std::set<std::string> dirty;                  // ids to write (or delete, when no longer in tasks)
  bool flush_queued = false;                    // a flush job waits on the blocking pool
  std::mutex flush_mu;                          // held by the one flush that writes
  bool stopping = false;
  std::map<std::string, std::vector<std::shared_ptr<upstream::Signal>>> waiters;
  // One download at a time per cached file (players send parallel Range requests).
  std::map<std::string, std::shared_ptr<proxy::SingleFlight>> fetches;
  // Where removed tasks stood in the list, so that a client paging with one of them as its
  // cursor goes on from there (the last kRemovedCursors removals).
  std::map<std::string, VideoTask> removed_cursors;
  std::deque<std::string> removed_order;
  std::unique_ptr<runtime::PeriodicTask> sweeper, saver, renewer;
  // This process among the instances sharing the store: the owner of its task claims.
  const std::string owner = instance_name();

  explicit Impl(ServiceOptions opts)
      : o(std::move(opts)), ctx(*o.ctx), files(*o.files), models(*o.models) {}

  uint32_t lease_ms() const {
    return static_cast<uint32_t>(std::clamp(settings()->video.claim_lease, 1.0, 3600.0) * 1000);
  }

  std::shared_ptr<const config::Settings> settings() const { return ctx.current(); }

  // --- persistence -------------------------------------------------------------------

  // Writes every dirty task (blocking). The caller holds flush_mu: one flush at a time
  // keeps the writes in order.
  void flush_locked_blocking() {
    for (;;) {
      std::vector<storage::DocWrite> writes;
      {
        std::lock_guard lock(mu);
        if (dirty.empty()) return;
        for (const auto& id : dirty) {
          auto it = tasks.find(id);
          if (it == tasks.end())
            writes.push_back({std::string(kCollection), id, {}, true});
          else
            writes.push_back(
                {std::string(kCollection), id, json::serialize(to_document(it->second)), false});
        }
        dirty.clear();
      }
      std::vector<storage::DocWrite> failed;
      try {
        ctx.store->write_batch(writes);
      } catch (const std::exception& e) {
        // One by one, so that one document the store refuses does not hold back the rest.
        ops::logger("Video")->warn("saving {} video task(s) together failed ({}); one by one",
                                   writes.size(), e.what());
        for (auto& w : writes) {
          try {
            std::vector<storage::DocWrite> one{w};
            ctx.store->write_batch(one);
          } catch (const std::exception& e1) {
            ops::logger("Video")->error("saving video task {} failed, will retry: {}", w.key,
                                        e1.what());
            failed.push_back(std::move(w));
          }
        }
      }
      if (!failed.empty()) {
        std::lock_guard lock(mu);
        for (const auto& w : failed) dirty.insert(w.key);
        return;  // the saver tries again
      }
    }
  }

  void flush_blocking() {
    std::lock_guard flush_lock(flush_mu);
    {
      std::lock_guard lock(mu);
      flush_queued = false;
    }
    flush_locked_blocking();
  }

  // Queues a flush on the blocking pool unless one is queued (it picks up later changes).
  void kick_flush() {
    {
      std::lock_guard lock(mu);
      if (flush_queued || dirty.empty()) return;
      flush_queued = true;
    }
    auto self = shared_from_this();
    ctx.blocking->post([self] { self->flush_blocking(); });
  }

  void touch_locked(VideoTask& t) {
    t.updated_at_ms = runtime::now_ms();
    dirty.insert(t.id);
  }

  void notify_locked(const std::string& id) {
    auto it = waiters.find(id);
    if (it == waiters.end()) return;
    for (auto& signal : it->second) signal->notify();
    waiters.erase(it);
  }

  // --- the queue -----------------------------------------------------------------------

  void pump() {
    std::vector<std::pair<std::string, std::shared_ptr<std::atomic<bool>>>> start;
    {
      std::lock_guard lock(mu);
      if (stopping) return;
      auto limit = static_cast<size_t>(std::max<int64_t>(1, settings()->video.max_concurrency));
      while (running.size() < limit && !queue.empty()) {
        std::string id = queue.front();
        queue.pop_front();
        auto it = tasks.find(id);
        if (it == tasks.end() || it->second.status != kQueued || running.count(id)) continue;
        // The slot is reserved; the task starts once its claim is taken (run_task).
        auto flag = std::make_shared<std::atomic<bool>>(false);
        running[id] = flag;
        start.emplace_back(id, flag);
      }
    }
    for (auto& [id, flag] : start) {
      auto self = shared_from_this();
      asio::co_spawn(o.io, run_task(self, id, flag), asio::detached);
    }
  }

  static asio::awaitable<void> run_task(std::shared_ptr<Impl> self, std::string id,
                                        std::shared_ptr<std::atomic<bool>> abandoned) {
    // The task and its request's record are taken together: every way out below ends the
    // record exactly once.
    std::optional<VideoTask> task;
    std::shared_ptr<calllog::CallRecord> record;
    bool claimed = false;
    {
      auto take = self->ctx.blocking->run([self, id] { return self->claim_start_blocking(id); });
      try {
        claimed = co_await std::move(take);
      } catch (const std::exception& e) {
        ops::logger("Video")->warn("task {}: cannot claim it now ({}); retried later", id,
                                   e.what());
      }
    }
    if (claimed) {
      self->kick_flush();
      std::lock_guard lock(self->mu);
      if (auto it = self->tasks.find(id); it != self->tasks.end()) task = it->second;
      if (auto rec = self->records.find(id); rec != self->records.end()) {
        record = std::move(rec->second);
        self->records.erase(rec);
      }
    }
    if (task) {
      if (!record) record = new_record(*task);
      std::optional<std::string> crashed;
      try {
        auto run = self->generate(std::move(*task), abandoned, *record);
        co_await std::move(run);
      } catch (const std::exception& e) {
        crashed = e.what();
      }
      if (crashed) {
        ops::logger("Video")->error("task {}: {}", id, *crashed);
        self->end_failed(id, abandoned, *record, "generation_error", *crashed);
      }
    }
    if (claimed) {
      // The outcome is stored before the claim goes: another instance that takes the claim
      // then reads a finished task, never an orphaned in-progress one.
      auto done = self->ctx.blocking->run([self, id] {
        self->flush_blocking();
        bool written;
        {
          std::lock_guard lock(self->mu);
          written = !self->dirty.count(id);
        }
        if (written) self->ctx.store->release(claim_name(id), self->owner);
      });
      try {
        co_await std::move(done);
      } catch (const std::exception& e) {
        ops::logger("Video")->warn("task {}: releasing its claim failed ({}); it lapses", id,
                                   e.what());
      }
    }
    {
      // The slot is free only now: a deleted task's generation held it until here.
      std::lock_guard lock(self->mu);
      auto it = self->running.find(id);
      if (it != self->running.end() && it->second == abandoned) self->running.erase(it);
      // Not claimed here: put back in line unless another instance runs it (a sync shows).
      if (!claimed && !self->stopping)
        if (auto t = self->tasks.find(id); t != self->tasks.end() && t->second.status == kQueued)
          self->retry_later.insert(id);
    }
    self->pump();
  }

  // Takes the task's claim and starts it (in_progress, one more attempt) when storage
  // still says it is queued: false when another instance holds it or already ran it, or
  // it was deleted (memory then follows storage). Blocking.
  bool claim_start_blocking(const std::string& id) {
    storage::Store& store = *ctx.store;
    int64_t asked = runtime::now_ms();
    bool held = store.claim(claim_name(id), owner, lease_ms());
    std::optional<VideoTask> stored;
    if (auto doc = store.get(std::string(kCollection), id)) stored = parse_task(*doc);
    if (!held) {
      // Another instance holds it: memory follows what storage says it is doing.
      std::lock_guard lock(mu);
      if (stored && tasks.count(id) && !dirty.count(id)) adopt_locked(*stored);
      return false;
    }
    std::vector<VideoTask> gone;
    bool start = false;
    {
      std::lock_guard lock(mu);
      auto it = tasks.find(id);
      if (it != tasks.end() && stored && stored->status == kQueued && !stopping) {
        // Storage may know more (a remix's source, an edit): the local copy is the same task.
        it->second.status = std::string(kInProgress);
        it->second.progress = 0;
        it->second.attempts += 1;
        touch_locked(it->second);
        renewed_ms[id] = asked;  // the claim's lease runs from here
        start = true;
      } else if (it != tasks.end() && !dirty.count(id)) {
        if (!stored) {
          if (auto t = take_locked(id)) gone.push_back(std::move(*t));
          dirty.erase(id);  // already gone from storage
        } else {
          adopt_locked(*stored);
        }
      }
    }
    for (const auto& t : gone) remove_files_blocking(t);
    if (!start) {
      store.release(claim_name(id), owner);
      return false;
    }
    ops::logger("Video")->info("task {} claimed: generating it here", id);
    return true;
  }

  // Takes a task as storage holds it (written by another instance) into memory.
  void adopt_locked(VideoTask stored) {
    const std::string id = stored.id;
    if (stored.created_ms > last_created_ms.load()) last_created_ms = stored.created_ms;
    bool queued = stored.status == kQueued;
    bool terminal = stored.terminal();
    if (!queued) {
      // Run elsewhere: that instance writes its record.
      records.erase(id);
      queue.erase(std::remove(queue.begin(), queue.end(), id), queue.end());
      retry_later.erase(id);
    }
    bool known_queued = std::find(queue.begin(), queue.end(), id) != queue.end();
    tasks[id] = std::move(stored);
    if (queued && !known_queued && !running.count(id)) queue.push_back(id);
    if (terminal) notify_locked(id);
  }

  void finish_failed(const std::string& id, const std::shared_ptr<std::atomic<bool>>& abandoned,
                     const std::string& code, const std::string& message) {
    std::string sso;
    {
      std::lock_guard lock(mu);
      auto it = tasks.find(id);
      if (abandoned->load() || it == tasks.end()) return;
      auto& t = it->second;
      t.status = std::string(kFailed);
      t.error_code = valid_utf8(code);
      t.error_message = valid_utf8(message);
      touch_locked(t);
      sso = t.sso_token;
      notify_locked(id);
    }
    kick_flush();
    if (ctx.events) {
      calllog::StateEvent e;
      e.event = std::string(calllog::event::kVideoFailed);
      e.task_id = id;
      e.sso_full = sso;
      e.reason = code + ": " + message;
      ctx.events->emit(std::move(e));
    }
  }

  // A generation that did not make its video: the record first (so that a waiter who
  // answers at once finds it written), then the task.
  void end_failed(const std::string& id, const std::shared_ptr<std::atomic<bool>>& abandoned,
                  calllog::CallRecord& call, const std::string& code, const std::string& message) {
    call.response_time = static_cast<double>(runtime::now_ms() - call.timestamp) / 1000.0;
    bool shutting_down;
    {
      std::lock_guard lock(mu);
      shutting_down = stopping;
    }
    if (abandoned->load()) {
      // Deleted: its record ends here. Stopping: the next start records it as interrupted.
      if (!shutting_down) submit_failed(call, "deleted", "the task was deleted before it finished");
      return;
    }
    submit_failed(call, code, message);
    finish_failed(id, abandoned, code, message);
  }

  asio::awaitable<std::string> read_cached(std::string name) {
    VideoFiles& f = files;
    auto read = ctx.blocking->run([&f, name]() -> std::string {
      auto size = f.size_blocking(name);
      return size ? f.read_blocking(name, 0, *size) : std::string();
    });
    co_return co_await std::move(read);
  }

  asio::awaitable<void> remove_cached(std::vector<std::string> names) {
    VideoFiles& f = files;
    auto drop = ctx.blocking->run([&f, names] {
      for (const auto& name : names)
        if (!name.empty() && VideoFiles::valid_name(name)) f.remove_blocking(name);
    });
    co_await std::move(drop);
  }

  asio::awaitable<void> generate(VideoTask task, std::shared_ptr<std::atomic<bool>> abandoned,
                                 calllog::CallRecord& call) {
    const std::string id = task.id;
    GenerationInput in;
    in.task = std::move(task);
    in.model = models.find(in.task.model);
    in.abandoned = abandoned;
    if (!in.model) {
      end_failed(id, abandoned, call, "model_not_found",
                 "the video model '" + in.task.model + "' is no longer served by any plugin");
      co_return;
    }
    if (!in.task.reference_path.empty()) {
      auto read = read_cached(in.task.reference_path);
      in.reference_bytes = co_await std::move(read);
      in.reference_mime = std::string(media::sniff_image_type(in.reference_bytes));
      if (in.reference_bytes.empty() || in.reference_mime.empty()) {
        end_failed(id, abandoned, call, "reference_missing",
                   "the reference image of this task is no longer in the cache");
        co_return;
      }
    }
    if (abandoned->load()) {
      end_failed(id, abandoned, call, "deleted", "the task was deleted before it was generated");
      co_return;
    }
    auto self = shared_from_this();
    in.on_progress = [self, id, abandoned](int progress) {
      std::lock_guard lock(self->mu);
      auto it = self->tasks.find(id);
      if (abandoned->load() || it == self->tasks.end()) return;
      if (progress > it->second.progress) {
        it->second.progress = progress;
        self->touch_locked(it->second);
      }
    };

    auto gen = run_generation(ctx, *o.tokens, files, in, call);
    GenerationResult r = co_await std::move(gen);

    if (!r.ok) {
      {
        std::lock_guard lock(mu);
        if (auto it = tasks.find(id); it != tasks.end() && !abandoned->load()) {
          it->second.sso_token = call.sso_full;
          it->second.proxy_used = ops::mask_url_credentials(call.proxy_used);
        }
      }
      end_failed(id, abandoned, call, r.error_code, r.error_message);
      co_return;
    }
    std::string base = settings()->global.base_url;
    bool kept = false;
    {
      std::lock_guard lock(mu);
      auto it = tasks.find(id);
      if (it != tasks.end() && !abandoned->load()) {
        kept = true;
        auto& t = it->second;
        t.status = std::string(kCompleted);
        t.progress = 100;
        t.completed_at = runtime::now_ms() / 1000;
        t.video_path = r.video_path;
        t.video_url = base + "/videos/" + r.video_path;
        t.thumbnail_path = r.thumbnail_path;
        t.thumbnail_url = r.thumbnail_path.empty() ? "" : base + "/videos/" + r.thumbnail_path;
        t.asset_url = r.asset_url;
        t.thumbnail_asset = r.thumbnail_asset;
        if (!r.resolution.empty()) t.resolution = r.resolution;
        t.sso_token = call.sso_full;
        t.proxy_used = ops::mask_url_credentials(call.proxy_used);
        t.error_code.clear();
        t.error_message.clear();
        touch_locked(t);
        call.media_urls.push_back(t.video_url);
      }
    }
    if (!kept) {
      // Deleted (or the gateway is stopping) while it ran: drop what it cached.
      auto drop = remove_cached({r.video_path, r.thumbnail_path});
      co_await std::move(drop);
      end_failed(id, abandoned, call, "deleted", "the task was deleted before it finished");
      co_return;
    }
    kick_flush();
    call.response_time = static_cast<double>(runtime::now_ms() - call.timestamp) / 1000.0;
    call.success = true;
    call.status_code = 200;
    call.error_type.clear();
    call.error_message.clear();
    if (ctx.call_log) ctx.call_log->submit(call);
    std::lock_guard lock(mu);
    notify_locked(id);
  }

  // A record for a task whose create request is not in this process (loaded at start-up).
  static std::shared_ptr<calllog::CallRecord> new_record(const VideoTask& t) {
    auto call = std::make_shared<calllog::CallRecord>();
    call->id = upstream::grok::uuid4();
    call->timestamp = runtime::now_ms();
    call->model = t.model;
    call->path = "/v1/videos";
    call->request_id = t.id;
    call->api_key_name = t.api_key_name;
    return call;
  }

  void submit_failed(calllog::CallRecord& call, const std::string& code,
                     const std::string& message) {
    call.success = false;
    // What the client would have heard had it waited: the request was fine, the upstream
    // could not make the video.
    call.status_code = code == "moderated" ? 400 : 502;
    if (call.error_type.empty() || code == "deleted") call.error_type = code;
    call.error_message = message;
    if (ctx.call_log) ctx.call_log->submit(call);
  }

  // --- create ----------------------------------------------------------------------------

  // Creation times strictly increase, so that lists keep the order tasks were made in.
  std::atomic<int64_t> last_created_ms{0};
  int64_t next_created_ms() {
    int64_t now = runtime::now_ms();
    int64_t last = last_created_ms.load();
    int64_t next;
    do {
      next = std::max(now, last + 1);
    } while (!last_created_ms.compare_exchange_weak(last, next));
    return next;
  }

  // Whether some account could make a video of this length now or later.
  bool eligible(const VideoModel& m, int seconds) {
    if (m.tiers_for(seconds).empty() || !o.tokens) return false;
    chat::TokenRequirement need = m.requirement(seconds);
    return o.tokens->next_available_ms(need).has_value();
  }

  // The length to make: the request's, or (video.clamp_seconds) the longest the pool's
  // accounts can make; a 400 naming the limit otherwise.
  int settle_seconds(const VideoModel& m, int asked) {
    bool clamp = settings()->video.clamp_seconds;
    const std::string hint =
        " Set video.clamp_seconds = true to make the longest possible video instead.";
    if (asked > m.max_seconds) {
      if (!clamp)
        bad("seconds", "seconds must be at most " + std::to_string(m.max_seconds) + " for " + m.id +
                           " (grok.com makes videos of up to " + std::to_string(m.max_seconds) +
                           " s); got " + std::to_string(asked) + "." + hint);
      asked = m.max_seconds;
    }
    if (eligible(m, asked)) return asked;
    // Shorter videos may be possible: free accounts make at most 6 s.
    int longest = 0;
    for (int s = asked - 1; s >= 1; --s)
      if (eligible(m, s)) {
        longest = s;
        break;
      }
    if (longest == 0) return asked;  // no account at all: the run says why
    if (!clamp) {
      std::string tiers = joined(m.tiers_for(asked));
      bad("seconds",
          "a " + std::to_string(asked) + " s video of " + m.id + " needs an account of tier " +
              (tiers.empty() ? std::string("(none)") : tiers) +
              " with video quota, and the pool has none; its accounts can make at most " +
              std::to_string(longest) + " s (free accounts: " +
              std::to_string(m.max_seconds_by_tier.count("basic")
                                 ? m.max_seconds_by_tier.at("basic")
                                 : m.max_seconds) +
              " s)." + hint);
    }
    return longest;
  }

  asio::awaitable<VideoTask> create_task(CreateInput in, std::string remixed_from) {
    auto s = settings();
    if (blank(in.prompt))
      bad("prompt", "prompt is required and must not be empty.",
          in.prompt.empty() ? "missing_required_parameter" : "invalid_value");
    if (utf8_length(in.prompt) > kMaxPromptChars)
      bad("prompt", "prompt must be at most 32000 characters.");
    for (const auto& [param, text] :
         {std::pair<const char*, const std::string*>{"prompt", &in.prompt},
          {"model", &in.model},
          {"size", &in.size},
          {"seconds", &in.seconds},
          {"user", &in.user}})
      if (valid_utf8(*text) != *text) bad(param, std::string(param) + " is not valid UTF-8 text.");
    if (in.model.empty()) in.model = std::string(kDefaultModel);
    const VideoModel* m = models.find(in.model);
    if (!m) {
      std::vector<std::string> ids;
      for (const auto& v : models.all()) ids.push_back(v.id);
      bad("model", "unknown video model '" + in.model + "'; available: " +
                       (ids.empty() ? std::string("none (no video-adapter plugin is loaded)")
                                    : joined(ids)) +
                       ".");
    }
    if (in.size.empty()) in.size = m->default_size;
    if (!m->sizes.empty() && std::find(m->sizes.begin(), m->sizes.end(), in.size) == m->sizes.end())
      bad("size",
          "size '" + in.size + "' is not one of " + joined(m->sizes) + " for " + m->id + ".");
    int seconds = m->default_seconds;
    if (!in.seconds.empty()) {
      auto parsed = parse_seconds(in.seconds);
      if (!parsed || *parsed < 1)
        bad("seconds", "seconds must be a whole number of seconds (\"4\", \"6\", \"8\"); got '" +
                           in.seconds + "'.");
      seconds = *parsed;
    }
    seconds = settle_seconds(*m, seconds);

    VideoTask t;
    t.id = new_task_id();
    t.created_ms = next_created_ms();
    t.updated_at_ms = t.created_ms;
    t.created_at = t.created_ms / 1000;
    t.expires_at = t.created_at + static_cast<int64_t>(s->video.retention_hours * 3600);
    t.model = m->id;
    t.prompt = in.prompt;
    t.size = in.size;
    t.seconds = std::to_string(seconds);
    t.quality = m->quality;
    t.resolution = m->resolution;
    t.user = in.user;
    t.api_key_name = in.api_key_name;
    t.remixed_from_video_id = remixed_from;

    if (!in.reference.empty()) {
      if (!m->references) bad("input_reference", m->id + " does not take a reference image.");
      media::ImageBytes img;
      std::optional<std::string> refused;
      if (!in.reference.url.empty()) {
        try {
          auto image =
              media::resolve_image(*ctx.http, in.reference.url, media::fetch_limits(s->global));
          img = co_await std::move(image);
        } catch (const media::ImageInputError& e) {
          refused = e.what();
        }
        t.input_reference = in.reference.url.rfind("data:", 0) == 0 ? "data:" : in.reference.url;
      } else {
        img.bytes = std::move(in.reference.bytes);
        img.mime = std::string(media::sniff_image_type(img.bytes));
        if (img.mime.empty()) refused = "the file is not a JPEG, PNG, WebP or GIF image";
        t.input_reference = "upload:" + (in.reference.filename.empty() ? std::string("image")
                                                                       : in.reference.filename);
      }
      if (refused)
        bad("input_reference", "Invalid reference image: " + *refused + ".", "invalid_image");
      t.reference_path =
          t.id + ".reference." + VideoFiles::extension_for(img.bytes, img.mime, "jpg");
      VideoFiles& f = files;
      std::string name = t.reference_path;
      auto write = ctx.blocking->run(
          [&f, name, bytes = std::move(img.bytes)] { f.write_blocking(name, bytes); });
      co_await std::move(write);
    }
    if (!remixed_from.empty()) t.input_reference = "remix:" + remixed_from;

    // Stored before the client hears of it: an answered task is never lost.
    std::string doc = json::serialize(to_document(t));
    storage::Store& store = *ctx.store;
    std::string key = t.id;
    auto put =
        ctx.blocking->run([&store, key, doc] { store.put(std::string(kCollection), key, doc); });
    std::exception_ptr unsaved;
    try {
      co_await std::move(put);
    } catch (...) {
      unsaved = std::current_exception();
    }
    if (unsaved) {
      // No task: no file of its either.
      auto drop = remove_cached({t.reference_path});
      co_await std::move(drop);
      std::rethrow_exception(unsaved);
    }
    bool over_cap = false;
    std::shared_ptr<calllog::CallRecord> record;
    if (in.call) {
      // The task is stored: from here on it owns the request's record. It takes a copy,
      // because the route still writes to its own until the answer ends.
      in.call->handed_off = true;
      record = std::make_shared<calllog::CallRecord>(*in.call);
      record->model = t.model;
      record->request_id = t.id;
      if (record->api_key_name.empty()) record->api_key_name = t.api_key_name;
    }
    {
      std::lock_guard lock(mu);
      tasks[t.id] = t;
      inserted_at[t.id] = ++inserts;
      if (record) records[t.id] = std::move(record);
      if (std::find(queue.begin(), queue.end(), t.id) == queue.end()) queue.push_back(t.id);
      over_cap = static_cast<int64_t>(tasks.size()) > s->video.max_tasks;
    }
    ops::logger("Video")->info("task {} queued: {} {} s {}{}", t.id, t.model, t.seconds, t.size,
                               t.reference_path.empty() ? "" : " with a reference image");
    pump();
    if (over_cap) {
      asio::co_spawn(o.io, sweep_of(shared_from_this()), asio::detached);
    }
    co_return t;
  }

  // Downloads a cached file of a completed task again; drops it when the task was deleted
  // meanwhile.
  static asio::awaitable<bool> refetch(std::shared_ptr<Impl> self, std::string sso,
                                       std::string asset, std::string name, bool thumb,
                                       std::string id) {
    std::optional<std::string> failed;
    try {
      auto get = download_asset(self->ctx, sso, asset, self->files, name,
                                thumb ? (32ull << 20) : (1ull << 30));
      co_await std::move(get);
    } catch (const std::exception& e) {
      failed = e.what();
    }
    if (failed) {
      ops::logger("Video")->warn("task {}: fetching {} again failed: {}", id, name, *failed);
      co_return false;
    }
    bool exists = false;
    {
      std::lock_guard lock(self->mu);
      auto it = self->tasks.find(id);
      exists = it != self->tasks.end();
      if (exists && thumb && it->second.thumbnail_path.empty()) {
        it->second.thumbnail_path = name;
        self->touch_locked(it->second);
      }
    }
    if (!exists) {
      auto drop = self->remove_cached({name});
      co_await std::move(drop);
    }
    co_return exists;
  }

  // --- removal and retention -------------------------------------------------------------

  static asio::awaitable<void> sweep_of(std::shared_ptr<Impl> self) {
    if (self) co_await self->sweep();
  }
  static asio::awaitable<void> renew_of(std::shared_ptr<Impl> self) {
    if (!self) co_return;
    auto renew = self->ctx.blocking->run([self] { self->renew_blocking(); });
    co_await std::move(renew);
  }
  // Progress changes are written about once a second; transitions at once.
  static asio::awaitable<void> save_tick(std::shared_ptr<Impl> self) {
    if (!self) co_return;
    self->kick_flush();
    bool again = false;
    {
      std::lock_guard lock(self->mu);
      for (const auto& id : self->retry_later)
        if (auto t = self->tasks.find(id);
            t != self->tasks.end() && t->second.status == kQueued && !self->running.count(id) &&
            std::find(self->queue.begin(), self->queue.end(), id) == self->queue.end()) {
          self->queue.push_back(id);
          again = true;
        }
      self->retry_later.clear();
    }
    if (again) self->pump();
  }

  // --- several instances on one store ---------------------------------------------------

  // In-progress tasks that no instance runs any more (their claim lapsed: the instance
  // died, or this process restarted) fail as interrupted, or queue again with
  // video.resubmit_interrupted. Blocking.
  size_t adopt_orphans_blocking() {
    std::vector<std::string> candidates;
    {
      std::lock_guard lock(mu);
      for (const auto& [id, t] : tasks)
        if (t.status == kInProgress && !running.count(id) && !dirty.count(id))
          candidates.push_back(id);
    }
    size_t taken = 0;
    storage::Store& store = *ctx.store;
    auto s = settings();
    for (const auto& id : candidates) {
      if (!store.claim(claim_name(id), owner, lease_ms())) continue;
      std::optional<VideoTask> stored;
      if (auto doc = store.get(std::string(kCollection), id)) stored = parse_task(*doc);
      std::shared_ptr<calllog::CallRecord> call;
      {
        std::lock_guard lock(mu);
        auto it = tasks.find(id);
        if (it != tasks.end() && !running.count(id) && !dirty.count(id) && stored) {
          if (stored->status != kInProgress) {
            adopt_locked(*stored);
          } else {
            VideoTask t = std::move(*stored);
            if (s->video.resubmit_interrupted) {
              t.status = std::string(kQueued);
              t.progress = 0;
            } else {
              t.status = std::string(kFailed);
              t.error_code = "interrupted";
              t.error_message = std::string(kInterruptedMessage);
              // Its request's record died with the instance: the task still leaves one.
              call = new_record(t);
              call->timestamp = t.created_ms;
              call->sso_full = t.sso_token;
            }
            adopt_locked(std::move(t));
            touch_locked(tasks[id]);
            ++taken;
          }
        }
      }
      if (call) submit_failed(*call, "interrupted", std::string(kInterruptedMessage));
      flush_blocking();
      bool written;
      {
        std::lock_guard lock(mu);
        written = !dirty.count(id);
      }
      // Not stored yet: the claim stays (until its lease lapses), so that no other instance
      // takes the task over again from the in-progress document the store still holds.
      if (written) store.release(claim_name(id), owner);
    }
    if (taken) pump();
    return taken;
  }

  // Memory follows storage for the tasks other instances wrote: new tasks (queued ones
  // join this instance's queue), their progress and outcomes, deletions. Blocking.
  void sync_blocking() {
    uint64_t listed_after;
    {
      std::lock_guard lock(mu);
      listed_after = inserts;
    }
    std::vector<std::pair<std::string, std::string>> docs =
        ctx.store->list(std::string(kCollection));
    std::vector<VideoTask> gone;
    {
      std::lock_guard lock(mu);
      // Tasks made here after the listing began are not in it, and not deleted either.
      for (auto it = inserted_at.begin(); it != inserted_at.end();)
        it = it->second <= listed_after ? inserted_at.erase(it) : std::next(it);
      std::set<std::string> present;
      for (auto& [key, doc] : docs) {
        present.insert(key);
        if (running.count(key) || dirty.count(key) || removed_cursors.count(key)) continue;
        auto stored = parse_task(doc);
        if (!stored) continue;
        auto it = tasks.find(key);
        if (it != tasks.end() && json::value(to_document(it->second)) == json::parse(doc)) continue;
        adopt_locked(std::move(*stored));
      }
      std::vector<std::string> removed;
      for (const auto& [id, t] : tasks)
        if (!present.count(id) && !dirty.count(id) && !inserted_at.count(id)) removed.push_back(id);
      for (const auto& id : removed)
        if (auto t = take_locked(id)) {
          dirty.erase(id);  // already gone from storage
          gone.push_back(std::move(*t));
        }
    }
    for (const auto& t : gone) remove_files_blocking(t);
    if (!gone.empty())
      ops::logger("Video")->info("{} video task(s) deleted by another instance", gone.size());
    adopt_orphans_blocking();
    pump();
  }

  // Renews the claims of the generations this instance runs; one it lost (it was cut off
  // longer than the lease and another instance took the task over) is abandoned.
  void renew_blocking() {
    std::vector<std::pair<std::string, std::shared_ptr<std::atomic<bool>>>> mine;
    {
      std::lock_guard lock(mu);
      for (const auto& [id, flag] : running)
        if (auto t = tasks.find(id); t != tasks.end() && t->second.status == kInProgress)
          mine.emplace_back(id, flag);
    }
    for (const auto& [id, flag] : mine) {
      bool held = true;
      int64_t since;
      {
        std::lock_guard lock(mu);
        since = renewed_ms.emplace(id, runtime::now_ms()).first->second;
      }
      int64_t asked = runtime::now_ms();
      try {
        held = ctx.store->claim(claim_name(id), owner, lease_ms());
      } catch (const std::exception& e) {
        ops::logger("Video")->warn("task {}: renewing its claim failed: {}", id, e.what());
        // Unrenewed past the lease, the claim may have lapsed and another instance may
        // have taken the task over: stop here rather than write over its outcome later.
        if (runtime::now_ms() - since > static_cast<int64_t>(lease_ms())) {
          ops::logger("Video")->error(
              "task {}: its claim could not be renewed for longer than video.claim_lease; "
              "abandoning it here",
              id);
          abandon_claimed(id, *flag);
        }
        continue;
      }
      if (!held) {
        ops::logger("Video")->error("task {}: another instance took it over; abandoning it here",
                                    id);
        abandon_claimed(id, *flag);
        continue;
      }
      std::lock_guard lock(mu);
      renewed_ms[id] = asked;
    }
    std::lock_guard lock(mu);
    for (auto it = renewed_ms.begin(); it != renewed_ms.end();)
      it = running.count(it->first) ? std::next(it) : renewed_ms.erase(it);
  }

  // A generation whose claim is lost stops, and its unsaved progress is not written: the
  // instance that holds the claim now writes the task.
  void abandon_claimed(const std::string& id, std::atomic<bool>& flag) {
    std::lock_guard lock(mu);
    flag.store(true);
    if (auto t = tasks.find(id); t != tasks.end() && t->second.status == kInProgress)
      dirty.erase(id);
  }

  // Takes the task out (under the lock); its files are removed by the caller.
  std::optional<VideoTask> take_locked(const std::string& id) {
    auto it = tasks.find(id);
    if (it == tasks.end()) return std::nullopt;
    VideoTask t = std::move(it->second);
    tasks.erase(it);
    // A running generation stops at its next step; it keeps its slot until it has.
    if (auto r = running.find(id); r != running.end()) r->second->store(true);
    queue.erase(std::remove(queue.begin(), queue.end(), id), queue.end());
    if (auto rec = records.find(id); rec != records.end()) {
      // Deleted before its generation began: its record ends here.
      auto call = std::move(rec->second);
      records.erase(rec);
      call->response_time = static_cast<double>(runtime::now_ms() - call->timestamp) / 1000.0;
      submit_failed(*call, "deleted", "the task was deleted before it was generated");
    }
    for (const auto& name : {t.video_path, t.thumbnail_path, t.id + ".thumbnail.jpg"})
      fetches.erase(name);
    VideoTask cursor;
    cursor.id = t.id;
    cursor.created_ms = t.created_ms;
    removed_cursors[t.id] = cursor;
    removed_order.push_back(t.id);
    if (removed_order.size() > kRemovedCursors) {
      removed_cursors.erase(removed_order.front());
      removed_order.pop_front();
    }
    dirty.insert(id);
    notify_locked(id);
    return t;
  }

  void remove_files_blocking(const VideoTask& t) {
    // The conventional names too: a crash between the download and the save leaves files
    // the task does not name.
    for (const auto& name :
         {t.video_path, t.thumbnail_path, t.reference_path, t.id + ".mp4", t.id + ".thumbnail.jpg"})
      if (!name.empty() && VideoFiles::valid_name(name)) files.remove_blocking(name);
  }

  asio::awaitable<void> sweep() {
    auto s = settings();
    int64_t now = runtime::now_ms() / 1000;
    std::vector<VideoTask> gone;
    {
      std::lock_guard lock(mu);
      std::vector<std::string> expired;
      // The current setting counts, not the one a task was made under.
      auto keep_s = static_cast<int64_t>(s->video.retention_hours * 3600);
      for (const auto& [id, t] : tasks)
        if (t.terminal() && t.created_at + keep_s <= now) expired.push_back(id);
      for (const auto& id : expired) gone.push_back(*take_locked(id));
      auto cap = static_cast<size_t>(std::max<int64_t>(1, s->video.max_tasks));
      if (tasks.size() > cap) {
        std::vector<const VideoTask*> finished;
        for (const auto& [id, t] : tasks)
          if (t.terminal()) finished.push_back(&t);
        std::sort(finished.begin(), finished.end(),
                  [](const VideoTask* a, const VideoTask* b) { return sort_before(*a, *b); });
        std::vector<std::string> oldest;
        for (size_t i = 0; i < finished.size() && tasks.size() - oldest.size() > cap; ++i)
          oldest.push_back(finished[i]->id);
        for (const auto& id : oldest) gone.push_back(*take_locked(id));
      }
    }
    if (gone.empty()) co_return;
    auto self = shared_from_this();
    auto drop = ctx.blocking->run([self, gone] {
      for (const auto& t : gone) self->remove_files_blocking(t);
    });
    co_await std::move(drop);
    ops::logger("Video")->info("retention: {} video task(s) removed", gone.size());
    kick_flush();
  }
};

VideoService::VideoService(ServiceOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {}

VideoService::~VideoService() {
  if (impl_->sweeper) impl_->sweeper->stop();
  if (impl_->saver) impl_->saver->stop();
  if (impl_->renewer) impl_->renewer->stop();
  impl_->sweeper.reset();
  impl_->saver.reset();
  impl_->renewer.reset();
}

void VideoService::load_blocking() {
  auto& im = *impl_;
  im.files.ensure_dir();
  im.files.clean_partials_blocking();
  auto s = im.settings();
  auto log = ops::logger("Video");
  std::vector<VideoTask> loaded;
  for (const auto& [key, doc] : im.ctx.store->list(std::string(kCollection))) {
    json::error_code ec;
    auto v = json::parse(doc, ec);
    auto t = ec ? std::nullopt : from_document(v);
    if (!t) {
      log->warn("video task '{}' is not readable and is skipped", key);
      continue;
    }
    loaded.push_back(std::move(*t));
  }
  std::sort(loaded.begin(), loaded.end(), sort_before);
  size_t in_progress = 0;
  {
    std::lock_guard lock(im.mu);
    for (auto& t : loaded) {
      in_progress += t.status == kInProgress;
      if (t.status == kQueued) im.queue.push_back(t.id);
      if (t.created_ms > im.last_created_ms.load()) im.last_created_ms = t.created_ms;
      im.tasks[t.id] = std::move(t);
    }
  }
  // The generations that died with this process (or with another instance sharing the
  // store, once its claims lapse) end here; those another live instance runs stay its own.
  size_t taken = in_progress ? im.adopt_orphans_blocking() : 0;
  if (!loaded.empty())
    log->info("{} video task(s) loaded; {} in progress elsewhere, {} {}, {} queued", loaded.size(),
              in_progress - taken, taken,
              s->video.resubmit_interrupted ? "submitted again" : "interrupted", im.queue.size());
}

void VideoService::sync_blocking() {
  impl_->sync_blocking();
}

asio::awaitable<void> VideoService::refresh(std::string id) {
  auto self = impl_;
  if (!self->ctx.store->shared()) co_return;
  auto get = self->ctx.store->async_get(std::string(kCollection), id);
  std::optional<std::string> doc;
  try {
    doc = co_await std::move(get);
  } catch (const storage::StorageError& e) {
    // Storage down: answer from memory.
    ops::logger("Video")->debug("task {}: reading it from storage failed: {}", id, e.what());
    co_return;
  }
  std::vector<VideoTask> gone;
  {
    std::lock_guard lock(self->mu);
    // Run or changed here: this instance is the writer.
    if (self->running.count(id) || self->dirty.count(id)) co_return;
    auto stored = doc ? parse_task(*doc) : std::nullopt;
    if (stored) {
      self->adopt_locked(std::move(*stored));
    } else if (!doc && self->tasks.count(id) && !self->inserted_at.count(id)) {
      if (auto t = self->take_locked(id)) gone.push_back(std::move(*t));
      self->dirty.erase(id);
    }
  }
  if (!gone.empty()) {
    auto drop = self->ctx.blocking->run([self, gone] {
      for (const auto& t : gone) self->remove_files_blocking(t);
    });
    co_await std::move(drop);
  }
  if (doc) self->pump();
}

void VideoService::start() {
  auto& im = *impl_;
  std::weak_ptr<Impl> weak = impl_;
  // Weak: the tasks belong to the service, and must not keep it alive.
  im.sweeper = std::make_unique<runtime::PeriodicTask>(
      im.o.io,
      [weak] {
        auto self = weak.lock();
        return self ? self->settings()->video.sweep_interval : 60.0;
      },
      [weak] { return Impl::sweep_of(weak.lock()); }, "video retention");
  im.saver = std::make_unique<runtime::PeriodicTask>(
      im.o.io, [] { return 1.0; }, [weak] { return Impl::save_tick(weak.lock()); }, "video save");
  im.renewer = std::make_unique<runtime::PeriodicTask>(
      im.o.io,
      [weak] {
        auto self = weak.lock();
        return self ? static_cast<double>(self->lease_ms()) / 3000.0 : 10.0;
      },
      [weak] { return Impl::renew_of(weak.lock()); }, "video claims");
  im.sweeper->start();
  im.saver->start();
  im.renewer->start();
  im.kick_flush();
  im.pump();
}

void VideoService::stop_blocking() {
  auto& im = *impl_;
  if (im.sweeper) im.sweeper->stop();
  if (im.saver) im.saver->stop();
  if (im.renewer) im.renewer->stop();
  {
    std::lock_guard lock(im.mu);
    im.stopping = true;
    // Abandoned generations stay in_progress in storage: the next start reads them as
    // interrupted (or submits them again).
    for (auto& [id, flag] : im.running) flag->store(true);
  }
  // After a flush under way (flush_mu), the rest is written here.
  {
    std::lock_guard flush_lock(im.flush_mu);
    im.flush_locked_blocking();
  }
  try {
    im.ctx.store->flush();
  } catch (const std::exception& e) {
    ops::logger("Video")->error("flushing video tasks at shutdown: {}", e.what());
  }
}

size_t VideoService::running_generations() const {
  std::lock_guard lock(impl_->mu);
  return impl_->running.size();
}

asio::awaitable<VideoTask> VideoService::create(CreateInput in) {
  auto self = impl_;
  auto make = self->create_task(std::move(in), "");
  co_return co_await std::move(make);
}

asio::awaitable<VideoTask> VideoService::remix(std::string id, std::string prompt, std::string user,
                                               std::string api_key_name,
                                               std::shared_ptr<calllog::CallRecord> call) {
  auto self = impl_;
  auto source = find(id);
  if (!source) not_found(id);
  if (source->status != kCompleted)
    throw VideoError(
        409, "video_id", "video_not_ready",
        "Video '" + id + "' is " + source->status + "; only a completed video can be remixed.");
  const VideoModel* model = self->models.find(source->model);
  if (model && !model->references)
    throw VideoError(400, "video_id", "invalid_value",
                     "Video '" + id + "' was made by " + source->model +
                         ", which takes no reference image, so it cannot be remixed.");
  if (source->thumbnail_path.empty() && source->thumbnail_asset.empty())
    throw VideoError(409, "video_id", "video_not_remixable",
                     "Video '" + id + "' has no thumbnail to start a remix from.");
  // The remix starts from the source's thumbnail (its first frame).
  auto thumb = content(id, Variant::kThumbnail);
  ContentFile file = co_await std::move(thumb);
  auto read = self->read_cached(file.name);
  CreateInput in;
  in.reference.bytes = co_await std::move(read);
  in.reference.filename = file.name;
  in.prompt = std::move(prompt);
  in.model = source->model;
  in.seconds = source->seconds;
  in.size = source->size;
  in.user = std::move(user);
  in.api_key_name = std::move(api_key_name);
  in.call = std::move(call);
  auto make = self->create_task(std::move(in), id);
  co_return co_await std::move(make);
}

std::optional<VideoTask> VideoService::find(const std::string& id) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->tasks.find(id);
  if (it == impl_->tasks.end()) return std::nullopt;
  return it->second;
}

ListPage VideoService::list(const std::string& after, size_t limit, bool ascending,
                            const std::function<bool(const VideoTask&)>& visible) const {
  std::vector<VideoTask> sorted;
  std::optional<VideoTask> removed;  // the cursor, when its task is gone
  {
    std::lock_guard lock(impl_->mu);
    sorted.reserve(impl_->tasks.size());
    for (const auto& [id, t] : impl_->tasks)
      if (!visible || visible(t) || t.id == after) sorted.push_back(t);
    if (!after.empty() && !impl_->tasks.count(after))
      if (auto it = impl_->removed_cursors.find(after); it != impl_->removed_cursors.end())
        removed = it->second;
  }
  std::sort(sorted.begin(), sorted.end(), sort_before);
  if (!ascending) std::reverse(sorted.begin(), sorted.end());
  size_t start = 0;
  if (removed) {
    // Deleted or swept between two pages: the page starts where it stood.
    auto it = std::find_if(sorted.begin(), sorted.end(), [&](const VideoTask& t) {
      return ascending ? sort_before(*removed, t) : sort_before(t, *removed);
    });
    start = static_cast<size_t>(it - sorted.begin());
  } else if (!after.empty()) {
    auto it = std::find_if(sorted.begin(), sorted.end(),
                           [&](const VideoTask& t) { return t.id == after; });
    if (it == sorted.end()) bad("after", "No video found with id '" + after + "' to list after.");
    start = static_cast<size_t>(it - sorted.begin()) + 1;
  }
  limit = std::clamp<size_t>(limit, 1, 100);
  ListPage page;
  for (size_t i = start; i < sorted.size() && page.data.size() < limit; ++i)
    page.data.push_back(std::move(sorted[i]));
  page.has_more = start + page.data.size() < sorted.size();
  return page;
}

std::vector<VideoTask> VideoService::all() const {
  std::vector<VideoTask> sorted;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& [id, t] : impl_->tasks) sorted.push_back(t);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const VideoTask& a, const VideoTask& b) { return sort_before(b, a); });
  return sorted;
}

asio::awaitable<bool> VideoService::remove(std::string id) {
  auto self = impl_;
  std::optional<VideoTask> gone;
  {
    std::lock_guard lock(self->mu);
    gone = self->take_locked(id);
  }
  if (!gone) co_return false;
  // Gone from storage before the client hears so: a crash must not bring it back. Under
  // flush_mu, so that no flush in flight writes the task again after this.
  auto drop = self->ctx.blocking->run([self, t = *gone] {
    {
      std::lock_guard flush_lock(self->flush_mu);
      self->ctx.store->remove(std::string(kCollection), t.id);
    }
    self->remove_files_blocking(t);
  });
  co_await std::move(drop);
  self->pump();
  co_return true;
}

asio::awaitable<ContentFile> VideoService::content(std::string id, Variant variant) {
  auto self = impl_;
  auto t = find(id);
  if (!t) not_found(id);
  if (variant == Variant::kSpritesheet)
    throw VideoError(404, "variant", "variant_not_found",
                     "grok.com makes no spritesheet; the variants are video and thumbnail.");
  if (t->status != kCompleted)
    throw VideoError(409, "video_id", "video_not_ready",
                     "Video '" + id + "' is " + t->status + "; its content is not ready.");
  bool thumb = variant == Variant::kThumbnail;
  std::string name = thumb ? t->thumbnail_path : t->video_path;
  std::string asset = thumb ? t->thumbnail_asset : t->asset_url;
  if (name.empty() && thumb && !asset.empty()) name = t->id + ".thumbnail.jpg";
  if (name.empty())
    throw VideoError(404, "variant", "variant_not_found",
                     "Video '" + id + "' has no " + (thumb ? "thumbnail" : "video file") + ".");
  VideoFiles& f = self->files;
  auto size_of = [&f, name] { return f.size_blocking(name); };
  auto stat = self->ctx.blocking->run(size_of);
  std::optional<uint64_t> size = co_await std::move(stat);
  if (!size && !asset.empty() && !t->sso_token.empty()) {
    // Not in this cache (evicted, or another instance made it): fetch it again with the
    // account that generated it, once however many requests ask at the same time.
    std::shared_ptr<proxy::SingleFlight> flight;
    {
      std::lock_guard lock(self->mu);
      auto& slot = self->fetches[name];
      if (!slot) slot = std::make_shared<proxy::SingleFlight>();
      flight = slot;
    }
    std::string sso = t->sso_token;
    proxy::SingleFlight::Work work = [self, sso, asset, name, thumb, id] {
      return Impl::refetch(self, sso, asset, name, thumb, id);
    };
    auto ex = co_await asio::this_coro::executor;
    auto run = flight->run(ex, std::move(work));
    co_await std::move(run);
    auto again = self->ctx.blocking->run(size_of);
    size = co_await std::move(again);
  }
  if (!size)
    throw VideoError(404, "video_id", "video_content_missing",
                     "The " + std::string(thumb ? "thumbnail" : "video") + " of '" + id +
                         "' is no longer available.");
  co_return ContentFile{name, std::string(VideoFiles::content_type_for(name)), *size};
}

asio::awaitable<std::optional<ContentFile>> VideoService::public_content(std::string name) {
  std::string id;
  Variant variant = Variant::kVideo;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& [key, t] : impl_->tasks) {
      if (t.status != kCompleted) continue;
      if (t.video_path == name || t.thumbnail_path == name) {
        id = key;
        variant = t.video_path == name ? Variant::kVideo : Variant::kThumbnail;
        break;
      }
    }
  }
  if (id.empty()) co_return std::nullopt;
  std::optional<ContentFile> file;
  try {
    auto get = content(id, variant);
    file = co_await std::move(get);
  } catch (const VideoError&) {
    file.reset();  // deleted meanwhile, or gone upstream too
  }
  co_return file;
}

asio::awaitable<VideoTask> VideoService::wait(std::string id, std::chrono::milliseconds limit) {
  auto self = impl_;
  auto ex = co_await asio::this_coro::executor;
  auto deadline = std::chrono::steady_clock::now() + limit;
  // A Signal remembers a notify that comes before its wait.
  auto signal = upstream::Signal::create(ex);
  {
    std::lock_guard lock(self->mu);
    auto it = self->tasks.find(id);
    if (it == self->tasks.end()) not_found(id);
    if (it->second.terminal()) co_return it->second;
    self->waiters[id].push_back(signal);
  }
  auto wake = signal->wait(deadline);
  co_await std::move(wake);
  {
    std::lock_guard lock(self->mu);
    auto w = self->waiters.find(id);
    if (w != self->waiters.end()) {
      auto& v = w->second;
      v.erase(std::remove(v.begin(), v.end(), signal), v.end());
      if (v.empty()) self->waiters.erase(w);
    }
  }
  auto t = find(id);
  if (!t) not_found(id);
  co_return *t;
}

int64_t VideoService::poll_after_ms() const {
  return impl_->settings()->video.poll_after_ms;
}
const VideoFiles& VideoService::files() const {
  return impl_->files;
}
const VideoModels& VideoService::models() const {
  return impl_->models;
}

}  // namespace g2a::video
