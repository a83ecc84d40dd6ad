// The plugin's config: [plugins.proxy-source-api], with "url" and "timeout_ms" filled in by
// the host from grok.proxy_pool_url (and 10000) when the table does not set them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::proxy_source_api {

struct SourceConfig {
  std::string url;              // the pool API; "" = the plugin is inert
  uint32_t timeout_ms = 10000;  // for the whole GET
};

// From the config table's JSON. Throws std::invalid_argument naming the key when a value
// has the wrong type or url is not http(s)://.
SourceConfig parse_source_config(std::string_view json);

// The URL without credentials and query (an API key often rides there), for messages.
std::string describe_url(std::string_view url);

}  // namespace g2a::proxy_source_api
