// Waits for a condition the server reaches on its own schedule (a flush, a generation),
// checking it every 20 ms up to a limit.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace g2a::test {

inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace g2a::test
