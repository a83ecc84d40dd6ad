// Failed admin logins, counted per client IP and per user name: once either has
// max_failures within the window, login waits (429) until the oldest failure leaves it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/admin/sliding_window.hpp"

namespace g2a::admin {

class LoginThrottle {
 public:
  using Clock = SlidingWindow::Clock;

  // How long this client must wait before trying, or nullopt. The window is read from
  // the settings on each call, so a change applies at once.
  std::optional<std::chrono::milliseconds> wait(std::string_view ip, std::string_view user,
                                                int64_t max_failures, std::chrono::seconds window,
                                                Clock::time_point now);
  void failed(std::string_view ip, std::string_view user, Clock::time_point now);
  // A success clears both counters.
  void succeeded(std::string_view ip, std::string_view user);

 private:
  static std::string ip_key(std::string_view ip);
  static std::string user_key(std::string_view user);

  SlidingWindow failures_{std::chrono::minutes(15)};
};

}  // namespace g2a::admin
