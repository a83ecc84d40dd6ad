// The gateway's own HTTP server on 127.0.0.1 (a free port), serving a test's router on a
// thread of its own until destroyed: a local target for transport and proxy tests.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/http/router.hpp"
#include "core/http/server.hpp"

namespace g2a::test {

class LocalServer {
 public:
  // Runs io on the server's thread: timers a test shares with its handlers may live on it.
  LocalServer(boost::asio::io_context& io, std::shared_ptr<http::Router> router) : io_(io) {
    http::ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    server_ = std::make_unique<http::Server>(io_, o, std::move(router));
    port_ = server_->listen();
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LocalServer() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  boost::asio::io_context& io_;
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace g2a::test
