// The proxy-source-api plugin: GETs a proxy-pool API through the host's HTTP service and
// emits every proxy its answer names (proxy_list_parser.hpp says which answers it reads).
#pragma once

#include <grok2api/plugin.hpp>

namespace g2a::proxy_source_api {

class ApiProxySource : public g2a::ProxySource {
 public:
  explicit ApiProxySource(g2a::Host host);
  // Reads the config at every refresh, so a changed grok.proxy_pool_url applies at once.
  void refresh(g2a_proxy_emit_fn emit, g2a_done_fn done, void* user) override;

 private:
  g2a::Host host_;
};

}  // namespace g2a::proxy_source_api
