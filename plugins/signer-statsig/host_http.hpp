// Asynchronous HTTP through host->http_request with C++ callbacks. Every callback runs
// exactly once while the instance lives (synchronously when the host refuses the request)
// and never after close(): in-flight calls are then cancelled and their results dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <grok2api/plugin.hpp>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lifeline.hpp"

namespace g2a::statsig {

struct HttpSpec {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  uint32_t timeout_ms = 0;
  std::string proxy_url;
};

struct HttpResult {
  g2a_status status = G2A_OK;  // G2A_OK when a response arrived, whatever its HTTP status
  int http_status = 0;
  std::string body;
  std::string error;  // transport error when status != G2A_OK

  bool ok_2xx() const { return status == G2A_OK && http_status >= 200 && http_status < 300; }
  // "HTTP 503" or the transport error, for messages.
  std::string describe() const;
};

using HttpCallback = std::function<void(HttpResult)>;

class HostHttp : public std::enable_shared_from_this<HostHttp> {
 public:
  explicit HostHttp(g2a::Host host) : host_(host) {}

  void send(const HttpSpec& spec, HttpCallback done);
  // Drops every later completion and cancels what is in flight. Waits for running callbacks.
  void close();
  Lifeline& lifeline() { return life_; }

 private:
  struct Call;
  static void on_done(void* user, g2a_status st, const g2a_http_response* resp);

  g2a::Host host_;
  Lifeline life_;
  std::mutex mu_;
  std::set<uint64_t> in_flight_;
};

}  // namespace g2a::statsig
