#include "core/runtime/periodic_job.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/ops/logging.hpp"
#include "core/runtime/blocking_pool.hpp"

namespace g2a::runtime {
namespace asio = boost::asio;

// The timer lives on a strand: its handler and stop() may run on different I/O threads.
struct PeriodicJob::Timer {
  explicit Timer(asio::any_io_executor io) : strand(asio::make_strand(io)), timer(strand) {}
  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
};

PeriodicJob::PeriodicJob(asio::any_io_executor io, BlockingPool& pool,
                         std::function<double()> interval_s, std::function<void()> job,
                         std::string log_name)
    : pool_(pool),
      interval_s_(std::move(interval_s)),
      job_(std::move(job)),
      log_name_(std::move(log_name)),
      timer_(std::make_unique<Timer>(std::move(io))) {}

PeriodicJob::~PeriodicJob() = default;

void PeriodicJob::start() {
  asio::post(timer_->strand, [this] { arm(); });
}

void PeriodicJob::stop() {
  stopped_.store(true);
  asio::post(timer_->strand, [this] { timer_->timer.cancel(); });
}

void PeriodicJob::arm() {
  if (stopped_.load()) return;
  auto interval =
      std::chrono::milliseconds(static_cast<int64_t>(std::max(0.05, interval_s_()) * 1000));
  timer_->timer.expires_after(interval);
  timer_->timer.async_wait([this](const boost::system::error_code& e) {
    if (e || stopped_.load()) return;
    wake();
    arm();
  });
}

void PeriodicJob::wake() {
  if (stopped_.load()) return;
  int s = state_.load();
  for (;;) {
    if (s == 2) return;  // a further run is already asked for
    if (state_.compare_exchange_weak(s, s + 1)) break;
  }
  if (s == 0) pool_.post([this] { run(); });
}

void PeriodicJob::wait_idle() {
  std::unique_lock lock(idle_mu_);
  idle_cv_.wait(lock, [this] { return !in_job_; });
}

void PeriodicJob::run() {
  for (;;) {
    {
      std::lock_guard lock(idle_mu_);
      if (stopped_.load()) {
        state_.store(0);
        return;
      }
      in_job_ = true;
    }
    try {
      job_();
    } catch (const std::exception& e) {
      ops::logger(log_name_)->error("flush failed: {}", e.what());
    }
    {
      std::lock_guard lock(idle_mu_);
      in_job_ = false;
    }
    idle_cv_.notify_all();
    runs_.fetch_add(1);
    int s = state_.load();
    for (;;) {
      // 1 -> 0: done. 2 -> 1: a wake came during the run, so run once more.
      if (state_.compare_exchange_weak(s, s - 1)) break;
    }
    if (s == 1) return;
  }
}

}  // namespace g2a::runtime
