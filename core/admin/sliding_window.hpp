// Counts events per key over a sliding window (API-key requests per minute, failed
// logins per client IP and user name). The caller passes the time, so tests advance it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace g2a::admin {

class SlidingWindow {
 public:
  using Clock = std::chrono::steady_clock;

  // max_keys bounds the memory an attacker can make it hold (one key per client IP):
  // beyond it, the keys whose events have all left the window are dropped, then the
  // oldest keys.
  explicit SlidingWindow(std::chrono::milliseconds window, size_t max_keys = 10000)
      : window_(window), max_keys_(max_keys) {}

  // How long until key may have another event when at most limit fit in the window;
  // nullopt when it may now. Records nothing.
  std::optional<std::chrono::milliseconds> wait(const std::string& key, int64_t limit,
                                                Clock::time_point now);
  // Records an event when one fits (returns nullopt), else returns the wait.
  std::optional<std::chrono::milliseconds> acquire(const std::string& key, int64_t limit,
                                                   Clock::time_point now);
  void record(const std::string& key, Clock::time_point now);
  void clear(const std::string& key);
  void set_window(std::chrono::milliseconds window);

  size_t keys() const;

 private:
  std::optional<std::chrono::milliseconds> wait_locked(const std::deque<Clock::time_point>& events,
                                                       int64_t limit, Clock::time_point now) const;
  void record_locked(const std::string& key, Clock::time_point now);

  mutable std::mutex mutex_;
  std::chrono::milliseconds window_;
  size_t max_keys_;
  std::map<std::string, std::deque<Clock::time_point>> events_;
};

// Whole seconds for a Retry-After header: rounded up, at least 1.
int64_t retry_after_seconds(std::chrono::milliseconds wait);

}  // namespace g2a::admin
