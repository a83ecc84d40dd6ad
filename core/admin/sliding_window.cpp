#include "core/admin/sliding_window.hpp"

#include <algorithm>

namespace g2a::admin {

std::optional<std::chrono::milliseconds> SlidingWindow::wait_locked(
    const std::deque<Clock::time_point>& events, int64_t limit, Clock::time_point now) const {
  // Events are in time order; those at or before now - window have left it.
  auto first = std::partition_point(events.begin(), events.end(),
                                    [&](Clock::time_point e) { return e + window_ <= now; });
  auto inside = static_cast<int64_t>(events.end() - first);
  if (limit <= 0 || inside < limit) return std::nullopt;
  // The event that must leave the window before another fits.
  auto frees = *(events.end() - limit) + window_;
  return std::chrono::ceil<std::chrono::milliseconds>(frees - now);
}

std::optional<std::chrono::milliseconds> SlidingWindow::wait(const std::string& key, int64_t limit,
                                                             Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = events_.find(key);
  if (it == events_.end()) return std::nullopt;
  return wait_locked(it->second, limit, now);
}

std::optional<std::chrono::milliseconds> SlidingWindow::acquire(const std::string& key,
                                                                int64_t limit,
                                                                Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (limit > 0) {
    if (auto it = events_.find(key); it != events_.end()) {
      if (auto w = wait_locked(it->second, limit, now)) return w;
    }
  }
  record_locked(key, now);
  return std::nullopt;
}

void SlidingWindow::record(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  record_locked(key, now);
}

void SlidingWindow::record_locked(const std::string& key, Clock::time_point now) {
  if (events_.size() >= max_keys_ && !events_.count(key)) {
    std::erase_if(events_, [&](const auto& entry) {
      return entry.second.empty() || entry.second.back() + window_ <= now;
    });
    while (events_.size() >= max_keys_) {
      auto oldest = std::min_element(
          events_.begin(), events_.end(),
          [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
      events_.erase(oldest);
    }
  }
  auto& events = events_[key];
  while (!events.empty() && events.front() + window_ <= now) events.pop_front();
  events.push_back(now);
}

void SlidingWindow::clear(const std::string& key) {
  std::lock_guard lock(mutex_);
  events_.erase(key);
}

void SlidingWindow::set_window(std::chrono::milliseconds window) {
  std::lock_guard lock(mutex_);
  window_ = window;
}

size_t SlidingWindow::keys() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

int64_t retry_after_seconds(std::chrono::milliseconds wait) {
  return std::max<int64_t>(1, (wait.count() + 999) / 1000);
}

}  // namespace g2a::admin
