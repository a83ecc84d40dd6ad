// One request and the means to answer it, whole or as a stream.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/http/message.hpp"

namespace g2a::http {

class Exchange {
 public:
  explicit Exchange(Request request) : request_(std::move(request)) {}
  virtual ~Exchange() = default;

  Request& request() { return request_; }
  const Request& request() const { return request_; }

  // Sends a whole response. Only one response per exchange.
  virtual boost::asio::awaitable<void> send(Response response) = 0;

  // A chunked response: begin once, write chunks, end once. write returns false
  // when the client has gone away; the handler should stop its work then.
  virtual boost::asio::awaitable<void> begin_stream(int status, std::string content_type,
                                                    std::vector<Header> headers = {}) = 0;
  virtual boost::asio::awaitable<bool> write(std::string_view chunk) = 0;
  virtual boost::asio::awaitable<void> end_stream() = 0;

  // A response of known length sent in pieces (a file): begin_sized once, then write
  // pieces that add up to length, then end_stream. It carries Content-Length instead of
  // chunking, so clients see the size (and Range answers are plain). An exchange that
  // cannot do this sends it chunked. For HEAD only the header goes out and write returns
  // false.
  virtual boost::asio::awaitable<void> begin_sized(int status, std::string content_type,
                                                   uint64_t length, std::vector<Header> headers) {
    (void)length;
    co_await begin_stream(status, std::move(content_type), std::move(headers));
  }

  bool responded() const { return status_ != 0; }
  int status() const { return status_; }
  size_t bytes_sent() const { return bytes_sent_; }
  // When the status line went out (the client's first byte); unset before.
  std::chrono::steady_clock::time_point responded_at() const { return responded_at_; }
  // The client went away before the answer ended (a write failed).
  bool client_gone() const { return client_gone_; }

 protected:
  Request request_;
  int status_ = 0;
  size_t bytes_sent_ = 0;
  std::chrono::steady_clock::time_point responded_at_{};
  bool client_gone_ = false;
};

}  // namespace g2a::http
