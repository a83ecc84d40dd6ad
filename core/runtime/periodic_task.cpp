#include "core/runtime/periodic_task.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/ops/logging.hpp"

namespace g2a::runtime {
namespace asio = boost::asio;

struct PeriodicTask::State {
  State(asio::any_io_executor io, std::function<double()> i,
        std::function<asio::awaitable<void>()> t, std::string n)
      : strand(asio::make_strand(io)),
        timer(strand),
        interval_s(std::move(i)),
        task(std::move(t)),
        log_name(std::move(n)) {}

  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;  // used on the strand only
  std::function<double()> interval_s;
  std::function<asio::awaitable<void>()> task;
  std::string log_name;
  std::atomic<bool> stopped{false};
  std::atomic<uint64_t> runs{0};

  static asio::awaitable<void> loop(std::shared_ptr<State> self) {
    while (!self->stopped.load()) {
      double interval = self->interval_s();
      bool paused = !(interval > 0);
      auto wait_for = std::chrono::milliseconds(
          static_cast<int64_t>((paused ? 1.0 : std::max(0.05, interval)) * 1000));
      self->timer.expires_after(wait_for);
      auto wait = self->timer.async_wait(asio::as_tuple(asio::use_awaitable));
      co_await std::move(wait);
      if (self->stopped.load()) break;
      if (paused || !(self->interval_s() > 0)) continue;
      std::string error;
      try {
        auto op = self->task();
        co_await std::move(op);
      } catch (const std::exception& e) {
        error = e.what();
      }
      self->runs.fetch_add(1);
      if (!error.empty()) ops::logger(self->log_name)->warn("periodic run failed: {}", error);
    }
  }
};

PeriodicTask::PeriodicTask(asio::any_io_executor io, std::function<double()> interval_s,
                           std::function<asio::awaitable<void>()> task, std::string log_name)
    : state_(std::make_shared<State>(std::move(io), std::move(interval_s), std::move(task),
                                     std::move(log_name))) {}

PeriodicTask::~PeriodicTask() {
  stop();
}

void PeriodicTask::start() {
  asio::co_spawn(state_->strand, State::loop(state_), asio::detached);
}

void PeriodicTask::stop() {
  if (state_->stopped.exchange(true)) return;
  asio::post(state_->strand, [s = state_] { s->timer.cancel(); });
}

uint64_t PeriodicTask::runs() const {
  return state_->runs.load();
}

}  // namespace g2a::runtime
