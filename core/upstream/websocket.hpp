// A WebSocket client over the same libcurl path as HTTP: curl makes the connection
// (proxy CONNECT or SOCKS, TLS with the build's TLS stack) in CONNECT_ONLY mode and we
// speak RFC 6455 over it. Debian's libcurl has no WebSocket support of its own; going
// through curl keeps one TLS fingerprint and one proxy implementation for both.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/upstream/http_client.hpp"
#include "core/upstream/http_types.hpp"

namespace g2a::upstream {

struct WsOptions {
  std::string url;  // ws:// or wss://
  Headers headers;  // extra handshake headers (Origin, User-Agent, Cookie, ...)
  std::string proxy;
  TlsOptions tls;
  std::chrono::milliseconds handshake_timeout{20000};
  size_t max_message = 16u << 20;
};

// The server answered the handshake with something other than 101.
class WsHandshakeError : public std::runtime_error {
 public:
  WsHandshakeError(long status, Headers headers, std::string body)
      : std::runtime_error("WebSocket handshake answered " + std::to_string(status)),
        status(status),
        headers(std::move(headers)),
        body(std::move(body)) {}
  long status;
  Headers headers;
  std::string body;
};

class WebSocket {
 public:
  struct State;
  explicit WebSocket(std::shared_ptr<State> s);
  ~WebSocket();
  WebSocket(const WebSocket&) = delete;
  WebSocket& operator=(const WebSocket&) = delete;

  // Connects and completes the handshake. Throws TransportError or WsHandshakeError.
  static boost::asio::awaitable<std::unique_ptr<WebSocket>> connect(HttpClient& http,
                                                                    WsOptions options);

  // One send and one receive may be in flight at a time, from the connecting coroutine's
  // executor.
  boost::asio::awaitable<void> send_text(std::string text);
  // The next text or binary message; nullopt once the server closed. Pings are answered.
  // Throws TransportError (kTimeout when nothing arrived within idle).
  boost::asio::awaitable<std::optional<std::string>> receive(std::chrono::milliseconds idle);
  // Sends a close frame (best effort) and releases the connection.
  boost::asio::awaitable<void> close(uint16_t code = 1000);

  // The close code the server sent, 0 if none.
  uint16_t close_code() const;

 private:
  std::shared_ptr<State> s_;
};

}  // namespace g2a::upstream
