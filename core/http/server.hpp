// The HTTP/1.1 server: keep-alive, chunked responses, body limit, timeouts, CORS,
// request ids, access log, metrics and graceful drain.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "core/http/router.hpp"

namespace g2a::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 8001;
  size_t max_body_bytes = 32u << 20;
  std::chrono::milliseconds read_timeout{30000};  // headers and body of one request
  std::chrono::milliseconds idle_timeout{75000};  // keep-alive between requests
  std::vector<std::string> cors_origins;          // empty = no CORS; "*" = any origin
};

class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();

  // Binds and listens; returns the bound port (useful with port 0). Throws on failure.
  uint16_t listen();
  // Starts accepting on the io_context's threads.
  void start();
  // Stops accepting, closes idle connections, and completes when every in-flight
  // request has finished or the deadline has passed. Returns the number still running.
  boost::asio::awaitable<size_t> drain(std::chrono::milliseconds deadline);

  // Settings that may change at runtime (SIGHUP).
  void update_limits(size_t max_body_bytes, std::vector<std::string> cors_origins);

  size_t active_requests() const;
  size_t open_connections() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace g2a::http
