#include "support/test_host.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace g2a::test {
namespace {

std::atomic<int64_t> g_live_allocations{0};
std::atomic<bool> g_clock_frozen{false};
std::atomic<int64_t> g_wall_ms{0};
std::atomic<uint64_t> g_monotonic_ms{0};

}  // namespace

TestHost::TestHost(std::string data_dir)
    : data_dir_(std::move(data_dir)),
      cache_dir_(data_dir_ + "/cache"),
      logs_dir_(data_dir_ + "/../logs") {
  std::memset(&table_, 0, sizeof table_);
  table_.struct_size = sizeof(g2a_host_v1);
  table_.abi_version = G2A_ABI_VERSION;
  table_.host_version = "test";
  table_.alloc = &TestHost::alloc;
  table_.free = &TestHost::release;
  table_.log_enabled = &TestHost::log_enabled;
  table_.log = &TestHost::log;
  table_.config_get = &TestHost::config_get;
  table_.get_path = &TestHost::get_path;
  table_.now_ms = &TestHost::now_ms;
  table_.monotonic_ms = &TestHost::monotonic_ms;
  table_.timer_start = &TestHost::timer_start;
  table_.timer_stop = &TestHost::timer_stop;
  table_.http_request = &TestHost::http_request;
  table_.http_cancel = &TestHost::http_cancel;
  table_.metric_add = &TestHost::metric_add;
  table_.get_service = &TestHost::get_service;
}

std::vector<LoggedMessage> TestHost::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

bool TestHost::logged(std::string_view fragment, g2a_log_level level) const {
  std::lock_guard lock(mu_);
  for (const auto& m : messages_)
    if (m.level >= level && m.text.find(fragment) != std::string::npos) return true;
  return false;
}

void TestHost::clear_messages() {
  std::lock_guard lock(mu_);
  messages_.clear();
}

void TestHost::freeze_clock(int64_t wall_ms, uint64_t monotonic_ms) {
  g_wall_ms = wall_ms;
  g_monotonic_ms = monotonic_ms;
  g_clock_frozen = true;
}

void TestHost::advance_clock(uint64_t ms) {
  g_wall_ms += static_cast<int64_t>(ms);
  g_monotonic_ms += ms;
}

void TestHost::unfreeze_clock() {
  g_clock_frozen = false;
}

int64_t TestHost::live_allocations() {
  return g_live_allocations.load();
}

std::string TestHost::adopt(g2a_buf& buf) const {
  std::string s = buf.data ? std::string(buf.data, buf.len) : std::string();
  if (buf.data) release(buf.data);
  buf = g2a_buf{nullptr, 0};
  return s;
}

void* TestHost::alloc(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p) ++g_live_allocations;
  return p;
}

void TestHost::release(void* p) {
  if (!p) return;
  --g_live_allocations;
  std::free(p);
}

int TestHost::log_enabled(g2a_host_ctx*, g2a_log_level) {
  return 1;
}

void TestHost::log(g2a_host_ctx* ctx, g2a_log_level level, g2a_str msg) {
  TestHost* host = self(ctx);
  std::lock_guard lock(host->mu_);
  host->messages_.push_back({level, std::string(msg.data ? msg.data : "", msg.len)});
}

g2a_buf TestHost::copy_out(std::string_view s) {
  char* p = static_cast<char*>(alloc(s.size() + 1));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return g2a_buf{p, s.size()};
}

g2a_status TestHost::config_get(g2a_host_ctx* ctx, const char* key, g2a_buf* out) {
  // Only the whole table is served: tests that need single keys set a table without them.
  if (key && *key) return G2A_NOT_FOUND;
  *out = copy_out(self(ctx)->config_json_);
  return G2A_OK;
}

g2a_status TestHost::get_path(g2a_host_ctx* ctx, g2a_path_kind which, g2a_buf* out) {
  TestHost* host = self(ctx);
  switch (which) {
    case G2A_PATH_DATA:
      *out = copy_out(host->data_dir_);
      return G2A_OK;
    case G2A_PATH_CACHE:
      *out = copy_out(host->cache_dir_);
      return G2A_OK;
    case G2A_PATH_LOGS:
      *out = copy_out(host->logs_dir_);
      return G2A_OK;
  }
  return G2A_BAD_ARGUMENT;
}

int64_t TestHost::now_ms() {
  if (g_clock_frozen) return g_wall_ms;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t TestHost::monotonic_ms() {
  if (g_clock_frozen) return g_monotonic_ms;
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

g2a_status TestHost::timer_start(g2a_host_ctx*, uint32_t, g2a_timer_fn, void*, uint64_t*) {
  return G2A_UNSUPPORTED;
}
g2a_status TestHost::timer_stop(g2a_host_ctx*, uint64_t) {
  return G2A_UNSUPPORTED;
}
g2a_status TestHost::http_request(g2a_host_ctx*, const g2a_http_request*, g2a_http_done_fn, void*,
                                  uint64_t*) {
  return G2A_UNSUPPORTED;
}
g2a_status TestHost::http_cancel(g2a_host_ctx*, uint64_t) {
  return G2A_UNSUPPORTED;
}
void TestHost::metric_add(g2a_host_ctx*, g2a_str, int64_t) {}
const void* TestHost::get_service(const char*, uint32_t) {
  return nullptr;
}

}  // namespace g2a::test
