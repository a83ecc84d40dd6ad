// A minimal g2a_host_v1 for plugin unit tests: malloc-backed memory with a live-allocation
// count, a log that collects messages, configurable config and paths, controllable clocks,
// and UNSUPPORTED for timers and HTTP.
#pragma once

#include <grok2api/plugin.h>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::test {

struct LoggedMessage {
  g2a_log_level level;
  std::string text;
};

class TestHost {
 public:
  // Paths default to <data_dir>/cache and <data_dir>/../logs.
  explicit TestHost(std::string data_dir = "data");
  TestHost(const TestHost&) = delete;
  TestHost& operator=(const TestHost&) = delete;

  // Pass these to a plugin's entry point and create().
  const g2a_host_v1* host() const { return &table_; }
  g2a_host_ctx* ctx() { return reinterpret_cast<g2a_host_ctx*>(this); }

  void set_data_dir(std::string dir) { data_dir_ = std::move(dir); }
  void set_cache_dir(std::string dir) { cache_dir_ = std::move(dir); }
  void set_logs_dir(std::string dir) { logs_dir_ = std::move(dir); }
  // The plugin's whole config table as JSON ("{}" by default).
  void set_config(std::string json) { config_json_ = std::move(json); }

  std::vector<LoggedMessage> messages() const;
  // Whether some message at `level` or above contains `fragment`.
  bool logged(std::string_view fragment, g2a_log_level level = G2A_LOG_TRACE) const;
  void clear_messages();

  // Clocks are process-wide (the host table's clock functions take no context).
  // freeze_clock makes now_ms/monotonic_ms return fixed values that only advance() moves.
  static void freeze_clock(int64_t wall_ms, uint64_t monotonic_ms);
  static void advance_clock(uint64_t ms);
  static void unfreeze_clock();

  // Buffers handed out by alloc and not yet freed, across all TestHosts.
  static int64_t live_allocations();

  // Copies a host-allocated buffer into a string and frees it.
  std::string adopt(g2a_buf& buf) const;

 private:
  static TestHost* self(g2a_host_ctx* ctx) { return reinterpret_cast<TestHost*>(ctx); }
  static void* alloc(size_t n);
  static void release(void* p);
  static int log_enabled(g2a_host_ctx* ctx, g2a_log_level level);
  static void log(g2a_host_ctx* ctx, g2a_log_level level, g2a_str msg);
  static g2a_status config_get(g2a_host_ctx* ctx, const char* key, g2a_buf* out);
  static g2a_status get_path(g2a_host_ctx* ctx, g2a_path_kind which, g2a_buf* out);
  static int64_t now_ms();
  static uint64_t monotonic_ms();
  static g2a_status timer_start(g2a_host_ctx*, uint32_t, g2a_timer_fn, void*, uint64_t*);
  static g2a_status timer_stop(g2a_host_ctx*, uint64_t);
  static g2a_status http_request(g2a_host_ctx*, const g2a_http_request*, g2a_http_done_fn, void*,
                                 uint64_t*);
  static g2a_status http_cancel(g2a_host_ctx*, uint64_t);
  static void metric_add(g2a_host_ctx*, g2a_str, int64_t);
  static const void* get_service(const char*, uint32_t);

  static g2a_buf copy_out(std::string_view s);

  g2a_host_v1 table_;
  std::string data_dir_, cache_dir_, logs_dir_;
  std::string config_json_ = "{}";
  mutable std::mutex mu_;
  std::vector<LoggedMessage> messages_;
};

}  // namespace g2a::test
