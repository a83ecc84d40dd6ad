// A TestHost whose HTTP and timers the test drives: requests queue up until the test
// answers them (from a table of URLs or one by one), and timers fire when the test says.
// Nothing runs on another thread, so tests need no sleeps.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/test_host.hpp"

namespace g2a::test {

struct FakeRequest {
  uint64_t id = 0;
  std::string method, url, body, proxy_url;
  std::vector<std::pair<std::string, std::string>> headers;
  uint32_t timeout_ms = 0;
  g2a_http_done_fn done = nullptr;
  void* user = nullptr;
  bool cancelled = false;

  std::optional<std::string> header(std::string_view name) const;
};

struct FakeResponse {
  int status = 200;
  std::string body;
};

class FakeHost : public TestHost {
 public:
  FakeHost();
  // The table to hand to plugins: TestHost's with HTTP and timers replaced.
  const g2a_host_v1* host() const { return &table_; }

  // Routes: answers for GET/POST to an exact URL.
  void serve(const std::string& url, FakeResponse r);
  void unserve(const std::string& url);
  // Answers every queued request (and those the answers cause) from the routes; URLs
  // without a route get a transport error. Returns how many were answered.
  size_t run();
  // Answers the oldest queued request with r (transport error when r is nullopt).
  void answer_next(std::optional<FakeResponse> r);
  size_t pending() const;
  // Every request seen, in order.
  std::vector<FakeRequest> log() const;
  size_t requests_to(const std::string& url) const;
  // When set, http_request refuses with this status.
  void refuse_http(std::optional<g2a_status> st) { refuse_ = st; }
  // When set, http_cancel answers OK but leaves the request queued (a late completion).
  void ignore_cancel(bool on) { ignore_cancel_ = on; }

  // Timers.
  size_t timers() const;
  void fire_timers();
  std::optional<uint32_t> timer_period() const;

 private:
  static FakeHost* self(g2a_host_ctx* ctx);
  static g2a_status http_request(g2a_host_ctx*, const g2a_http_request*, g2a_http_done_fn, void*,
                                 uint64_t*);
  static g2a_status http_cancel(g2a_host_ctx*, uint64_t);
  static g2a_status timer_start(g2a_host_ctx*, uint32_t, g2a_timer_fn, void*, uint64_t*);
  static g2a_status timer_stop(g2a_host_ctx*, uint64_t);
  void complete(FakeRequest req, std::optional<FakeResponse> r);

  struct Timer {
    uint32_t period;
    g2a_timer_fn fn;
    void* user;
  };

  g2a_host_v1 table_;
  mutable std::mutex mu_;
  std::map<std::string, FakeResponse> routes_;
  std::deque<FakeRequest> queue_;
  std::vector<FakeRequest> log_;
  std::map<uint64_t, Timer> timers_;
  uint64_t next_id_ = 1;
  std::optional<g2a_status> refuse_;
  bool ignore_cancel_ = false;
};

}  // namespace g2a::test
