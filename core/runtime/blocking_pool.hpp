// A bounded pool of threads for calls that block (disk, database clients), so that
// no I/O thread ever waits on them.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <tuple>
#include <type_traits>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace g2a::runtime {

namespace detail {
// The completion signature for a result type: (exception[, result]).
template <class R>
struct Completion {
  using type = void(std::exception_ptr, R);
};
template <>
struct Completion<void> {
  using type = void(std::exception_ptr);
};
}  // namespace detail

class BlockingPool {
 public:
  explicit BlockingPool(size_t threads) : pool_(threads), threads_(threads) {}
  ~BlockingPool() { stop(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Runs f on the pool; the awaiting coroutine resumes on its own executor.
  // Exceptions thrown by f are rethrown in the awaiting coroutine. Not a coroutine
  // itself: f is moved into the operation, never kept in a coroutine frame.
  template <class F>
  auto run(F f) {
    return async_call(*this, std::move(f), true);
  }

  // Runs f at once on the calling thread, with the same awaitable shape as run().
  template <class F>
  static auto inline_call(F f) {
    return async_call(*static_cast<BlockingPool*>(nullptr), std::move(f), false);
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
  // f's result as a tuple, so void and non-void results complete the same way.
  template <class F>
  static auto as_tuple_work(F fn) {
    return [fn = std::move(fn)]() mutable {
      if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
        fn();
        return std::tuple<>();
      } else {
        return std::tuple<std::invoke_result_t<F>>(fn());
      }
    };
  }

  template <class F>
  static auto async_call(BlockingPool& pool, F f, bool on_pool) {
    using Signature = typename detail::Completion<std::invoke_result_t<F>>::type;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, Signature>(
        [&pool, on_pool](auto handler, F fn) {
          auto work = as_tuple_work(std::move(fn));
          if (on_pool)
            pool.submit(std::move(handler), std::move(work));
          else
            complete(std::move(handler), run_work(work));
        },
        boost::asio::use_awaitable, std::move(f));
  }

  // Runs work, catching what it throws: (exception, result tuple).
  template <class Work>
  static auto run_work(Work& work) {
    std::pair<std::exception_ptr, decltype(work())> out{};
    try {
      out.second = work();
    } catch (...) {
      out.first = std::current_exception();
    }
    return out;
  }

  template <class Handler, class Outcome>
  static void complete(Handler handler, Outcome outcome) {
    std::apply([&](auto&&... r) { std::move(handler)(outcome.first, std::move(r)...); },
               std::move(outcome.second));
  }

  // Runs work on the pool, then completes handler on its own executor.
  template <class Handler, class Work>
  void submit(Handler handler, Work work) {
    queued_.fetch_add(1, std::memory_order_relaxed);
    auto guard = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
    boost::asio::post(pool_, [this, handler = std::move(handler), work = std::move(work),
                              guard = std::move(guard)]() mutable {
      auto outcome = run_work(work);
      queued_.fetch_sub(1, std::memory_order_relaxed);
      auto ex = guard.get_executor();
      boost::asio::dispatch(ex,
                            [handler = std::move(handler), outcome = std::move(outcome)]() mutable {
                              complete(std::move(handler), std::move(outcome));
                            });
    });
  }

  boost::asio::thread_pool pool_;
  size_t threads_;
  std::atomic<size_t> queued_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace g2a::runtime
