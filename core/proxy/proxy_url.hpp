// Proxy URLs as the settings, the admin API and proxy sources give them: one spelling per
// proxy, so that the pool's keys, the bindings and a Pro proxy_state.json agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace g2a::proxy {

// Normalises a proxy URL in place: schemes http, https, socks5, socks5h (case-insensitive);
// the Pro misspellings sock5/sock5h; a bare host:port taken as http; socks5 rewritten to
// socks5h as the Pro service did (the proxy resolves grok.com, and Pro state keys match);
// a trailing "/" dropped. Empty (after trimming) stays empty and is accepted. Returns false,
// leaving url unchanged, for anything else (a path, a query, a bad host or port).
bool normalise_proxy_url(std::string& url);

// The normalised form of a non-empty proxy URL, or nullopt when it is empty or invalid.
std::optional<std::string> proxy_url_of(std::string_view url);

// host[:port] (or [IPv6][:port]) with a port 1..65535; need_port: the port is required.
bool valid_host_port(std::string_view hostport, bool need_port);

}  // namespace g2a::proxy
