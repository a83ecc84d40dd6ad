// A WebSocket server for transport tests (Beast, one thread per connection). Paths:
//   /echo     echoes every message; "ping-me" makes it send a ping then "pinged", and
//             "check" answers whether the pong came back,
//             "fragment" sends a message in three fragments, "big:N" sends N bytes,
//             "close" closes with code 4001
//   /refuse   answers the handshake with 403 and a JSON body
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace g2a::test {

class WsEchoServer {
 public:
  WsEchoServer();
  ~WsEchoServer();
  uint16_t port() const { return port_; }
  std::string url(const std::string& path) const {
    return "ws://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The User-Agent and Cookie of the last handshake.
  std::string last_user_agent() const;
  std::string last_cookie() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace g2a::test
