#include "core/admin/login_throttle.hpp"

namespace g2a::admin {

std::string LoginThrottle::ip_key(std::string_view ip) {
  return "ip:" + std::string(ip);
}

// Bounded: the user name comes from the client.
std::string LoginThrottle::user_key(std::string_view user) {
  return "user:" + std::string(user.substr(0, 128));
}

std::optional<std::chrono::milliseconds> LoginThrottle::wait(std::string_view ip,
                                                             std::string_view user,
                                                             int64_t max_failures,
                                                             std::chrono::seconds window,
                                                             Clock::time_point now) {
  failures_.set_window(window);
  auto by_ip = failures_.wait(ip_key(ip), max_failures, now);
  auto by_user = failures_.wait(user_key(user), max_failures, now);
  if (by_ip && by_user) return std::max(*by_ip, *by_user);
  return by_ip ? by_ip : by_user;
}

void LoginThrottle::failed(std::string_view ip, std::string_view user, Clock::time_point now) {
  failures_.record(ip_key(ip), now);
  failures_.record(user_key(user), now);
}

void LoginThrottle::succeeded(std::string_view ip, std::string_view user) {
  failures_.clear(ip_key(ip));
  failures_.clear(user_key(user));
}

}  // namespace g2a::admin
