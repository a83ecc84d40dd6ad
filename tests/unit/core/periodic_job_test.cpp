// PeriodicJob: runs on the blocking pool (never on the waking thread), on its timer and
// when woken, one run at a time; wakes during a run fold into one more run; a failing job
// keeps its schedule; stop() ends it.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "core/runtime/blocking_pool.hpp"
#include "core/runtime/periodic_job.hpp"

namespace g2a::runtime {
namespace {
using namespace std::chrono_literals;

// What the job saw, and a gate that holds a run until the test opens it.
struct Probe {
  std::mutex mu;
  std::condition_variable cv;
  int runs = 0;
  int entered = 0;  // runs that reached the gate
  bool open = true;
  std::thread::id last_thread;

  void run() {
    std::unique_lock lock(mu);
    ++entered;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
    ++runs;
    last_thread = std::this_thread::get_id();
    cv.notify_all();
  }
  bool wait_runs(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 10s, [&] { return runs >= n; });
  }
  bool wait_entered(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 10s, [&] { return entered >= n; });
  }
  void set_open(bool v) {
    std::lock_guard lock(mu);
    open = v;
    cv.notify_all();
  }
};

class PeriodicJobTest : public ::testing::Test {
 protected:
  // Each test stops the pool before its job goes: a run still finishing uses the job.
  boost::asio::io_context io;
  Probe probe;
  BlockingPool pool{2};
};

TEST_F(PeriodicJobTest, WakeRunsTheJobOnThePoolNotTheCaller) {
  PeriodicJob job(
      io.get_executor(), pool, [] { return 3600.0; }, [this] { probe.run(); }, "T");
  job.wake();
  EXPECT_TRUE(probe.wait_runs(1));
  pool.stop();
  EXPECT_NE(probe.last_thread, std::this_thread::get_id());
}

TEST_F(PeriodicJobTest, WakesDuringARunFoldIntoOneMoreRun) {
  PeriodicJob job(
      io.get_executor(), pool, [] { return 3600.0; }, [this] { probe.run(); }, "T");
  probe.set_open(false);
  job.wake();  // the first run waits at the gate
  job.wake();
  job.wake();
  job.wake();
  probe.set_open(true);
  EXPECT_TRUE(probe.wait_runs(2));
  pool.stop();  // finishes whatever was queued
  EXPECT_EQ(probe.runs, 2);
  EXPECT_EQ(job.runs(), 2u);
}

TEST_F(PeriodicJobTest, TheTimerRunsItAgainAndAgainEvenWhenItFails) {
  int calls = 0;
  PeriodicJob job(
      io.get_executor(), pool, [] { return 0.05; },
      [&] {
        probe.run();
        if (++calls == 1) throw std::runtime_error("disk full");
      },
      "T");
  job.start();
  auto guard = boost::asio::make_work_guard(io);
  std::thread loop([&] { io.run(); });
  EXPECT_TRUE(probe.wait_runs(3));
  job.stop();
  guard.reset();
  loop.join();  // the loop ends: stop() cancelled the timer, nothing else is pending
  pool.stop();
}

TEST_F(PeriodicJobTest, AfterStopAWakeDoesNothing) {
  PeriodicJob job(
      io.get_executor(), pool, [] { return 3600.0; }, [this] { probe.run(); }, "T");
  job.stop();
  job.wake();
  pool.stop();
  EXPECT_EQ(probe.runs, 0);
}

// At shutdown the final flush must not overlap a run, nor be followed by one (the plugins
// it calls are destroyed next).
TEST_F(PeriodicJobTest, StopCancelsTheAskedForRunAndWaitIdleWaitsForTheRunningOne) {
  PeriodicJob job(
      io.get_executor(), pool, [] { return 3600.0; }, [this] { probe.run(); }, "T");
  probe.set_open(false);
  job.wake();
  ASSERT_TRUE(probe.wait_entered(1));  // the first run is in its job, at the gate
  job.wake();                          // asks for one more run
  job.stop();
  std::thread waiter([&] { job.wait_idle(); });
  probe.set_open(true);
  waiter.join();  // returns once the running job has finished
  EXPECT_EQ(probe.runs, 1);
  pool.stop();
  EXPECT_EQ(probe.runs, 1);  // the asked-for run did not happen after stop()
}

}  // namespace
}  // namespace g2a::runtime
