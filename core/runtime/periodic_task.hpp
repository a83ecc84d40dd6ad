// An awaitable task (a proxy-source refresh, a round of health probes) run on the I/O
// threads every interval: the counterpart of PeriodicJob for work that awaits instead of
// blocking. One run at a time; an interval of 0 pauses the schedule (looked at again every
// second, so a settings change applies without a restart).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace g2a::runtime {

class PeriodicTask {
 public:
  // interval_s is read before each wait; task errors are logged under log_name.
  PeriodicTask(boost::asio::any_io_executor io, std::function<double()> interval_s,
               std::function<boost::asio::awaitable<void>()> task, std::string log_name);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // The first run comes one interval after start().
  void start();
  // Ends the schedule: the wait is cancelled; a run under way finishes, none follows.
  void stop();
  uint64_t runs() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace g2a::runtime
