// Runs a function on another executor and awaits its result (or exception) from a
// coroutine, which resumes on its own executor. Not a coroutine itself: the function is
// moved into the operation, never kept in a coroutine frame (see docs/design.md).
#pragma once

#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
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

// Calls fn, catching what it throws: (exception, result as a tuple).
template <class F>
auto invoke_caught(F& fn) {
  using R = std::invoke_result_t<F&>;
  using Tuple = std::conditional_t<std::is_void_v<R>, std::tuple<>, std::tuple<R>>;
  std::pair<std::exception_ptr, Tuple> out{};
  try {
    if constexpr (std::is_void_v<R>)
      fn();
    else
      out.second = Tuple(fn());
  } catch (...) {
    out.first = std::current_exception();
  }
  return out;
}

template <class Handler, class Outcome>
void complete(Handler handler, Outcome outcome) {
  std::apply([&](auto&&... r) { std::move(handler)(outcome.first, std::move(r)...); },
             std::move(outcome.second));
}
}  // namespace detail

// Runs f on ex; before_after(+1/-1) brackets the run (for queue gauges), may be null.
template <class Executor, class F>
auto run_on(Executor ex, F f, void (*before_after)(void*, int) = nullptr, void* ctx = nullptr) {
  using Signature = typename detail::Completion<std::invoke_result_t<F&>>::type;
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, Signature>(
      [ex, before_after, ctx](auto handler, F fn) {
        if (before_after) before_after(ctx, +1);
        auto guard = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
        boost::asio::post(ex, [handler = std::move(handler), fn = std::move(fn),
                               guard = std::move(guard), before_after, ctx]() mutable {
          auto outcome = detail::invoke_caught(fn);
          if (before_after) before_after(ctx, -1);
          auto back = guard.get_executor();
          boost::asio::dispatch(
              back, [handler = std::move(handler), outcome = std::move(outcome)]() mutable {
                detail::complete(std::move(handler), std::move(outcome));
              });
        });
      },
      boost::asio::use_awaitable, std::move(f));
}

// Runs f at once on the calling thread, with the same awaitable shape as run_on.
template <class F>
auto run_inline(F f) {
  using Signature = typename detail::Completion<std::invoke_result_t<F&>>::type;
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, Signature>(
      [](auto handler, F fn) { detail::complete(std::move(handler), detail::invoke_caught(fn)); },
      boost::asio::use_awaitable, std::move(f));
}

}  // namespace g2a::runtime
