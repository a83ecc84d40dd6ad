// The g2a_host_v1 service table: memory, logging, config, paths, clocks, timers,
// metrics and HTTP for plugins.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "core/app/version.hpp"
#include "core/ops/metrics.hpp"
#include "core/plugin/host_context.hpp"
#include "core/plugin/http_client.hpp"
#include "core/runtime/clock.hpp"

namespace g2a::plugin {

struct TimerSlot {
  std::recursive_mutex mutex;  // held while the callback runs; stop waits on it
  bool stopped = false;
  std::unique_ptr<boost::asio::steady_timer> timer;
  std::chrono::milliseconds period{1};
  g2a_timer_fn fn = nullptr;
  void* user = nullptr;
};

namespace {

g2a_status copy_out(const std::string& s, g2a_buf* out) {
  if (!out) return G2A_BAD_ARGUMENT;
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) return G2A_NO_MEMORY;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  *out = g2a_buf{p, s.size()};
  return G2A_OK;
}

spdlog::level::level_enum to_spd(g2a_log_level l) {
  switch (l) {
    case G2A_LOG_TRACE:
      return spdlog::level::trace;
    case G2A_LOG_DEBUG:
      return spdlog::level::debug;
    case G2A_LOG_INFO:
      return spdlog::level::info;
    case G2A_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

void* host_alloc(size_t n) {
  return std::malloc(n ? n : 1);
}
void host_free(void* p) {
  std::free(p);
}

int host_log_enabled(g2a_host_ctx* ctx, g2a_log_level level) {
  return ctx && ctx->log && ctx->log->should_log(to_spd(level)) ? 1 : 0;
}

void host_log(g2a_host_ctx* ctx, g2a_log_level level, g2a_str msg) {
  if (!ctx || !ctx->log) return;
  ctx->log->log(to_spd(level), "{}", std::string_view(msg.data ? msg.data : "", msg.len));
}

g2a_status host_config_get(g2a_host_ctx* ctx, const char* key, g2a_buf* out) {
  if (!ctx) return G2A_BAD_ARGUMENT;
  std::string table = ctx->config_defaults
                          ? merge_config_defaults(ctx->config_json, ctx->config_defaults())
                          : ctx->config_json;
  if (!key || !*key) return copy_out(table, out);
  boost::system::error_code ec;
  auto v = boost::json::parse(table, ec);
  if (ec || !v.is_object()) return G2A_NOT_FOUND;
  auto* found = v.as_object().if_contains(key);
  if (!found) return G2A_NOT_FOUND;
  return copy_out(boost::json::serialize(*found), out);
}

g2a_status host_get_path(g2a_host_ctx* ctx, g2a_path_kind which, g2a_buf* out) {
  if (!ctx) return G2A_BAD_ARGUMENT;
  switch (which) {
    case G2A_PATH_DATA:
      return copy_out(ctx->paths.data_dir, out);
    case G2A_PATH_CACHE:
      return copy_out(ctx->paths.cache_dir, out);
    case G2A_PATH_LOGS:
      return copy_out(ctx->paths.logs_dir, out);
  }
  return G2A_BAD_ARGUMENT;
}

uint64_t host_monotonic_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

void arm(std::shared_ptr<TimerSlot> slot) {
  slot->timer->expires_after(slot->period);
  slot->timer->async_wait([slot](const boost::system::error_code& ec) {
    if (ec) return;
    {
      std::lock_guard lock(slot->mutex);
      if (slot->stopped) return;
      slot->fn(slot->user);
      if (slot->stopped) return;
    }
    arm(slot);
  });
}

g2a_status host_timer_start(g2a_host_ctx* ctx, uint32_t period_ms, g2a_timer_fn fn, void* user,
                            uint64_t* out_id) {
  if (!ctx || !fn || period_ms == 0 || !ctx->io) return G2A_BAD_ARGUMENT;
  auto slot = std::make_shared<TimerSlot>();
  slot->timer = std::make_unique<boost::asio::steady_timer>(ctx->io);
  slot->period = std::chrono::milliseconds(period_ms);
  slot->fn = fn;
  slot->user = user;
  uint64_t id = ctx->next_id.fetch_add(1);
  {
    std::lock_guard lock(ctx->timers_mutex);
    ctx->timers[id] = slot;
  }
  if (out_id) *out_id = id;
  boost::asio::post(ctx->io, [slot] { arm(slot); });
  return G2A_OK;
}

void stop_slot(const std::shared_ptr<TimerSlot>& slot) {
  std::lock_guard lock(slot->mutex);  // waits for a running callback
  slot->stopped = true;
  boost::asio::post(slot->timer->get_executor(), [slot] { slot->timer->cancel(); });
}

g2a_status host_timer_stop(g2a_host_ctx* ctx, uint64_t id) {
  if (!ctx) return G2A_BAD_ARGUMENT;
  std::shared_ptr<TimerSlot> slot;
  {
    std::lock_guard lock(ctx->timers_mutex);
    auto it = ctx->timers.find(id);
    if (it == ctx->timers.end()) return G2A_NOT_FOUND;
    slot = it->second;
    ctx->timers.erase(it);
  }
  stop_slot(slot);
  return G2A_OK;
}

void host_metric_add(g2a_host_ctx* ctx, g2a_str name, int64_t delta) {
  if (!ctx || delta <= 0) return;
  std::string n = "g2a_plugin_";
  for (size_t i = 0; i < name.len; ++i) {
    char c = name.data[i];
    n.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  ops::Metrics::global()
      .counter(n, "Counter reported by a plugin", "plugin=\"" + ctx->plugin_id + "\"")
      .add(static_cast<uint64_t>(delta));
}

const void* host_get_service(const char*, uint32_t) {
  return nullptr;
}

}  // namespace

std::string merge_config_defaults(const std::string& table, const std::string& defaults) {
  boost::system::error_code ec_table, ec_defaults;
  auto t = boost::json::parse(table, ec_table);
  auto d = boost::json::parse(defaults, ec_defaults);
  if (ec_table || ec_defaults || !t.is_object() || !d.is_object()) return table;
  for (const auto& [k, v] : d.as_object())
    if (!t.as_object().contains(k)) t.as_object()[k] = v;
  return boost::json::serialize(t);
}

void stop_all_timers(g2a_host_ctx* ctx) {
  std::map<uint64_t, std::shared_ptr<TimerSlot>> timers;
  {
    std::lock_guard lock(ctx->timers_mutex);
    timers.swap(ctx->timers);
  }
  for (auto& [id, slot] : timers) stop_slot(slot);
}

const g2a_host_v1* host_table() {
  static const g2a_host_v1 table = {
      sizeof(g2a_host_v1), G2A_ABI_VERSION,   g2a::kVersion,    &host_alloc,    &host_free,
      &host_log_enabled,   &host_log,         &host_config_get, &host_get_path, &runtime::now_ms,
      &host_monotonic_ms,  &host_timer_start, &host_timer_stop, &http_request,  &http_cancel,
      &host_metric_add,    &host_get_service,
  };
  return &table;
}

}  // namespace g2a::plugin
