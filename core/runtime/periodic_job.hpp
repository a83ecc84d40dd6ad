// A blocking job (a storage flush) run on the BlockingPool every interval, and sooner
// when woken: one run at a time, never on an I/O thread, and a wake during a run makes
// one more run right after it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>

namespace g2a::runtime {

class BlockingPool;

class PeriodicJob {
 public:
  // interval_s is read at each arming (a settings change applies from the next one);
  // job errors are logged under log_name and do not stop the schedule.
  PeriodicJob(boost::asio::any_io_executor io, BlockingPool& pool,
              std::function<double()> interval_s, std::function<void()> job, std::string log_name);
  ~PeriodicJob();
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

  void start();
  // Cheap, thread-safe and non-blocking: queues a run on the pool unless one is queued.
  void wake();
  // Ends the schedule (the timer and later wakes); a run in progress finishes and a
  // queued one does nothing.
  void stop();
  // Blocks until no run is in its job (call after stop(), before the final flush, so no
  // run overlaps it or what follows it, such as destroying plugins).
  void wait_idle();

  uint64_t runs() const { return runs_.load(); }

 private:
  struct Timer;
  void arm();
  void run();

  BlockingPool& pool_;
  std::function<double()> interval_s_;
  std::function<void()> job_;
  std::string log_name_;
  std::unique_ptr<Timer> timer_;
  // 0 idle, 1 queued or running, 2 running with another run asked for.
  std::atomic<int> state_{0};
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> runs_{0};
  std::mutex idle_mu_;
  std::condition_variable idle_cv_;
  bool in_job_ = false;  // under idle_mu_
};

}  // namespace g2a::runtime
