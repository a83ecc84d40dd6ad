// Proxy-source plugins (G2A_KIND_PROXY_SOURCE) seen as ProxySource: the pool calls refresh()
// and never touches the C ABI.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/proxy/proxy_source.hpp"

namespace g2a::plugin {
class Manager;
struct LoadedPlugin;
}  // namespace g2a::plugin

namespace g2a::proxy {

// One per loaded plugin that provides a proxy source, in load order.
std::vector<std::unique_ptr<ProxySource>> plugin_proxy_sources(plugin::Manager& plugins);

// The config the host adds to the bundled proxy-source-api plugin's table (unless the table
// sets the keys): "url" = grok.proxy_pool_url when it is an http(s) URL (a socks URL there
// keeps the Pro meaning of a static proxy) and "timeout_ms" = 10000. A JSON object.
std::string proxy_source_api_defaults(const std::string& proxy_pool_url);

class PluginProxySource : public ProxySource {
 public:
  // timeout: how long refresh waits for the plugin's done.
  explicit PluginProxySource(plugin::LoadedPlugin& plugin,
                             std::chrono::milliseconds timeout = std::chrono::seconds(60));
  const std::string& id() const override;
  // Throws std::runtime_error naming the plugin: its message on failure, or that it did not
  // answer within the timeout.
  boost::asio::awaitable<std::vector<SourcedProxy>> refresh() override;

 private:
  plugin::LoadedPlugin& plugin_;
  const void* table_;  // g2a_proxy_source_v1
  std::chrono::milliseconds timeout_;
  std::mutex serial_;  // calls into a plugin that is not thread-safe
};

}  // namespace g2a::proxy
