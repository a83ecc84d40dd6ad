#include "core/proxy/single_flight.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/upstream/signal.hpp"

namespace g2a::proxy {
namespace asio = boost::asio;

std::shared_ptr<SingleFlight::Flight> SingleFlight::join_or_start(asio::any_io_executor& ex,
                                                                  Work& work, bool& started) {
  std::shared_ptr<Flight> flight;
  {
    std::lock_guard lock(mutex_);
    if (current_) {
      std::lock_guard flock(current_->mutex);
      if (!current_->done) return current_;
    }
    current_ = std::make_shared<Flight>();
    flight = current_;
  }
  started = true;
  asio::co_spawn(ex, fly(flight, std::move(work)), asio::detached);
  return flight;
}

asio::awaitable<void> SingleFlight::fly(std::shared_ptr<Flight> flight, Work work) {
  bool ok = false;
  try {
    auto op = work();
    ok = co_await std::move(op);
  } catch (...) {
    ok = false;
  }
  std::vector<std::shared_ptr<upstream::Signal>> waiters;
  {
    std::lock_guard lock(flight->mutex);
    flight->done = true;
    flight->ok = ok;
    waiters.swap(flight->waiters);
  }
  for (auto& w : waiters) w->notify();
}

bool SingleFlight::start(asio::any_io_executor ex, Work work) {
  bool started = false;
  join_or_start(ex, work, started);
  return started;
}

asio::awaitable<bool> SingleFlight::run(asio::any_io_executor ex, Work work) {
  bool started = false;
  auto flight = join_or_start(ex, work, started);
  auto self_ex = co_await asio::this_coro::executor;
  auto signal = upstream::Signal::create(self_ex);
  {
    std::lock_guard lock(flight->mutex);
    if (!flight->done) flight->waiters.push_back(signal);
  }
  for (;;) {
    {
      std::lock_guard lock(flight->mutex);
      if (flight->done) co_return flight->ok;
    }
    co_await signal->wait(upstream::Signal::Clock::time_point::max());
  }
}

bool SingleFlight::running() const {
  std::lock_guard lock(mutex_);
  if (!current_) return false;
  std::lock_guard flock(current_->mutex);
  return !current_->done;
}

}  // namespace g2a::proxy
