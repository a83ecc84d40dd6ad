// One run of an awaitable job at a time, shared by everyone who asks while it runs: the
// source refresh when no healthy proxy is left, and a clearance solve per egress.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace g2a::upstream {
class Signal;
}

namespace g2a::proxy {

class SingleFlight {
 public:
  using Work = std::function<boost::asio::awaitable<bool>()>;

  // Starts work on ex unless a run is under way (then nothing happens). True when this call
  // started it.
  bool start(boost::asio::any_io_executor ex, Work work);
  // Joins the run under way, or starts one on ex, and waits for its end. Its result: what
  // work returned, false when it threw.
  boost::asio::awaitable<bool> run(boost::asio::any_io_executor ex, Work work);
  bool running() const;

 private:
  struct Flight {
    std::mutex mutex;
    bool done = false;
    bool ok = false;
    std::vector<std::shared_ptr<upstream::Signal>> waiters;
  };
  std::shared_ptr<Flight> join_or_start(boost::asio::any_io_executor& ex, Work& work,
                                        bool& started);
  static boost::asio::awaitable<void> fly(std::shared_ptr<Flight> flight, Work work);

  mutable std::mutex mutex_;
  std::shared_ptr<Flight> current_;
};

}  // namespace g2a::proxy
