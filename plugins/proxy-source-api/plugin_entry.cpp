// The proxy-source-api plugin's C entry point.
#include "api_proxy_source.hpp"

G2A_DECLARE_PLUGIN(g2a::proxy_source_api::ApiProxySource, "proxy-source-api", "1.0.0", "grok2api",
                   "Fetches proxies from a proxy-pool API (plain text, newline list or JSON)",
                   G2A_FLAG_THREAD_SAFE)
