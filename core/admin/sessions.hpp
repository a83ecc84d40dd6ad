// Admin sessions, kept in storage so that every instance sharing a store honours them
// and a restart keeps them. Only a hash of each session token is stored.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace g2a::storage {
class Store;
}

namespace g2a::admin {

enum class SessionCheck { kValid, kMissing, kInvalid, kExpired };

class Sessions {
 public:
  explicit Sessions(storage::Store& store) : store_(store) {}

  // A new session for username, valid for ttl (global.admin_session_ttl); returns the
  // token the client presents as Bearer. The expiry is stored with the session, so a
  // later change of the setting applies to new sessions only.
  boost::asio::awaitable<std::string> create(
      std::string username, std::chrono::milliseconds ttl = std::chrono::hours(24));
  boost::asio::awaitable<SessionCheck> check(std::string token);
  boost::asio::awaitable<void> revoke(std::string token);

  static std::string hash(const std::string& token);

 private:
  storage::Store& store_;
};

}  // namespace g2a::admin
