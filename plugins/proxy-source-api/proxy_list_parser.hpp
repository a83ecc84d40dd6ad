// The answer of a proxy-pool API, read into proxy URLs. Accepted (issue 6):
//   - one proxy as plain text;
//   - a newline list (CRLF tolerated; blank lines and lines starting with # skipped);
//   - JSON: an array of strings; an array of objects with host (or ip), port,
//     scheme (or protocol, type), user (or username), pass (or password), or url/proxy;
//     an object wrapping such an array (or such text) under data, proxies or list, also
//     nested ({"data":{"list":[...]}}); a single such object.
// The answer comes from the network: this parser must take any bytes (fuzz/).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::proxy_source_api {

struct ProxyList {
  std::vector<std::string> urls;  // scheme://[user:pass@]host:port, first-seen order, no repeats
  size_t rejected = 0;            // entries that are not a usable proxy
  std::string first_problem;      // "entry 3: the port is missing" (never the entry itself)
  std::string format;             // "text" or "json", for messages
};

ProxyList parse_proxy_list(std::string_view body);

// Why a list with no URL is not an answer, for the refresh's error message.
std::string empty_list_reason(const ProxyList& list);

}  // namespace g2a::proxy_source_api
