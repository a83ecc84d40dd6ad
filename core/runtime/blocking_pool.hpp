// A bounded pool of threads for calls that block (disk, database clients), so that
// no I/O thread ever waits on them.
#pragma once

#include <atomic>
#include <cstddef>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/runtime/run_on.hpp"

namespace g2a::runtime {

class BlockingPool {
 public:
  explicit BlockingPool(size_t threads) : pool_(threads), threads_(threads) {}
  ~BlockingPool() { stop(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Runs f on the pool; the awaiting coroutine resumes on its own executor and gets
  // f's result or exception.
  template <class F>
  auto run(F f) {
    return run_on(pool_.get_executor(), std::move(f), &BlockingPool::count, this);
  }

  // Runs f at once on the calling thread, with the same awaitable shape as run().
  template <class F>
  static auto inline_call(F f) {
    return run_inline(std::move(f));
  }

  // Fire and forget, for work nobody awaits (periodic flushes).
  template <class F>
  void post(F f) {
    boost::asio::post(pool_, std::move(f));
  }

  // Finishes queued work, then joins the threads.
  void stop() {
    if (!stopped_.exchange(true)) pool_.join();
  }

  size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  size_t threads() const { return threads_; }

 private:
  static void count(void* self, int delta) {
    static_cast<BlockingPool*>(self)->queued_.fetch_add(static_cast<size_t>(delta),
                                                        std::memory_order_relaxed);
  }

  boost::asio::thread_pool pool_;
  size_t threads_;
  std::atomic<size_t> queued_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace g2a::runtime
