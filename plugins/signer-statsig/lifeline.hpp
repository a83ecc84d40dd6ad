// Keeps host callbacks (HTTP completions, timers) from running into an instance that is
// being destroyed: each callback enters before touching the host or the instance, and
// close() waits for those inside, then turns every later callback away. Callbacks that
// arrive after destroy must not touch the host: its context is gone by then.
#pragma once

#include <condition_variable>
#include <mutex>

namespace g2a::statsig {

class Lifeline {
 public:
  // True when the instance is alive; the caller must call leave() afterwards. Nests.
  bool enter() {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    ++inside_;
    return true;
  }
  void leave() {
    std::lock_guard lock(mu_);
    if (--inside_ == 0) cv_.notify_all();
  }
  // Refuses new callbacks and waits for those inside. Not from inside a callback.
  void close() {
    std::unique_lock lock(mu_);
    closed_ = true;
    cv_.wait(lock, [&] { return inside_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int inside_ = 0;
  bool closed_ = false;
};

// enter() for a scope.
class LifelineGuard {
 public:
  explicit LifelineGuard(Lifeline& l) : line_(l), alive_(l.enter()) {}
  ~LifelineGuard() {
    if (alive_) line_.leave();
  }
  LifelineGuard(const LifelineGuard&) = delete;
  LifelineGuard& operator=(const LifelineGuard&) = delete;
  explicit operator bool() const { return alive_; }

 private:
  Lifeline& line_;
  bool alive_;
};

}  // namespace g2a::statsig
