// Non-blocking HTTP through libcurl's multi interface: streams are incremental (a body
// is handed over piece by piece as it arrives, with backpressure), never buffered whole.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "core/upstream/curl_driver.hpp"
#include "core/upstream/http_types.hpp"

namespace g2a::upstream {

class HttpStream {
 public:
  struct Transfer;
  explicit HttpStream(std::shared_ptr<Transfer> t) : t_(std::move(t)) {}
  ~HttpStream();
  HttpStream(const HttpStream&) = delete;
  HttpStream& operator=(const HttpStream&) = delete;

  // The status and headers; throws TransportError when none arrive within timeout.
  boost::asio::awaitable<HttpHead> head(std::chrono::milliseconds timeout);
  // The next piece of the body, nullopt at its end. Throws TransportError, with kind
  // kTimeout when no byte arrived within idle.
  boost::asio::awaitable<std::optional<std::string>> next(std::chrono::milliseconds idle);
  // Stops the transfer: a pending or later head()/next() throws. Thread-safe.
  void cancel();

 private:
  std::shared_ptr<Transfer> t_;
};

class HttpClient {
 public:
  explicit HttpClient(boost::asio::io_context& io) : io_(io), driver_(io) {}

  // Starts the request at once; read the answer from the stream.
  std::unique_ptr<HttpStream> open(HttpRequest request);
  // The whole answer, for small bodies (errors beyond max_body).
  boost::asio::awaitable<HttpResponse> fetch(HttpRequest request, std::chrono::milliseconds timeout,
                                             size_t max_body = 16u << 20);

  CurlDriver& driver() { return driver_; }
  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context& io_;
  CurlDriver driver_;
};

}  // namespace g2a::upstream
