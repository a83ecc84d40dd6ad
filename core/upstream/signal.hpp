// A wake-up for one waiting coroutine, raised from any thread: the building block of
// the streaming transfers (curl pushes data on its strand, a handler awaits it on its own).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace g2a::upstream {

class Signal : public std::enable_shared_from_this<Signal> {
 public:
  using Clock = std::chrono::steady_clock;

  static std::shared_ptr<Signal> create(boost::asio::any_io_executor ex) {
    return std::shared_ptr<Signal>(new Signal(std::move(ex)));
  }

  // Wakes the waiter, or makes the next wait return at once.
  void notify() {
    std::function<void(bool)> h;
    {
      std::lock_guard lock(mutex_);
      if (!waiter_) {
        pending_ = true;
        return;
      }
      h = std::move(waiter_);
      waiter_ = nullptr;
      timer_.cancel();
    }
    h(true);
  }

  // True when notified, false when the deadline passed first. One waiter at a time.
  boost::asio::awaitable<bool> wait(Clock::time_point deadline) {
    auto self = shared_from_this();
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(bool)>(
        [self, deadline](auto handler) {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          auto complete = [shared](bool notified) {
            auto ex = boost::asio::get_associated_executor(*shared);
            boost::asio::post(ex, [shared, notified] { (*shared)(notified); });
          };
          std::lock_guard lock(self->mutex_);
          if (self->pending_) {
            self->pending_ = false;
            complete(true);
            return;
          }
          self->waiter_ = complete;
          uint64_t generation = ++self->generation_;
          if (deadline == Clock::time_point::max()) return;
          self->timer_.expires_at(deadline);
          self->timer_.async_wait([self, generation](const boost::system::error_code& ec) {
            if (ec) return;
            std::function<void(bool)> h;
            {
              std::lock_guard lock(self->mutex_);
              // A timer that fired for an earlier wait must not end this one.
              if (generation != self->generation_) return;
              h = std::move(self->waiter_);
              self->waiter_ = nullptr;
            }
            if (h) h(false);
          });
        },
        boost::asio::use_awaitable);
  }

 private:
  explicit Signal(boost::asio::any_io_executor ex) : timer_(std::move(ex)) {}

  std::mutex mutex_;
  bool pending_ = false;
  uint64_t generation_ = 0;
  std::function<void(bool)> waiter_;
  boost::asio::steady_timer timer_;
};

}  // namespace g2a::upstream
