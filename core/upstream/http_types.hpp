// Requests and responses of the upstream transport.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::upstream {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup; empty when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct TlsOptions {
  bool verify = true;
  std::string ca_file;  // "" = the system's store
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::string proxy;  // "" = direct; http://, https://, socks5://, socks5h://
  std::chrono::milliseconds connect_timeout{15000};
  std::chrono::milliseconds total_timeout{0};  // 0 = none (streams use idle timeouts)
  TlsOptions tls;
  // "HOST:PORT:ADDRESS:PORT": connect there instead of resolving HOST (a pinned address
  // that a second DNS answer cannot change); "" = resolve as usual.
  std::string connect_to;
  bool web_only = false;  // http and https only, for URLs a client gave
};

struct HttpHead {
  long status = 0;
  Headers headers;
  std::string header(std::string_view name) const {
    return std::string(find_header(headers, name));
  }
};

struct HttpResponse {
  HttpHead head;
  std::string body;
};

// A failure below HTTP: connect, proxy, TLS, timeout, reset. No response arrived (or
// the stream broke).
class TransportError : public std::runtime_error {
 public:
  enum class Kind { kConnect, kProxy, kTls, kTimeout, kReset, kTooLarge, kOther };
  TransportError(Kind kind, int curl_code, const std::string& message)
      : std::runtime_error(message), kind_(kind), curl_code_(curl_code) {}
  Kind kind() const { return kind_; }
  int curl_code() const { return curl_code_; }

 private:
  Kind kind_;
  int curl_code_;
};

// Maps a CURLcode to a TransportError (message includes curl's own detail).
TransportError transport_error(int curl_code, std::string_view detail);

}  // namespace g2a::upstream
