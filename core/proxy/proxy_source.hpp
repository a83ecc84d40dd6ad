// Where proxies come from besides the settings and the admin API: a proxy-source plugin
// (g2a_proxy_source_v1) seen through this interface, so the pool never touches the C ABI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace g2a::proxy {

struct SourcedProxy {
  std::string url;     // as the source gave it; the pool normalises and validates it
  std::string region;  // optional
  uint32_t weight = 0;
  uint32_t ttl_s = 0;  // 0 = no expiry
};

class ProxySource {
 public:
  virtual ~ProxySource() = default;
  // The plugin id, for logs and /api/proxies ("source").
  virtual const std::string& id() const = 0;
  // The source's current list. Throws std::runtime_error with the source's message on
  // failure. Never blocks the calling thread.
  virtual boost::asio::awaitable<std::vector<SourcedProxy>> refresh() = 0;
};

}  // namespace g2a::proxy
