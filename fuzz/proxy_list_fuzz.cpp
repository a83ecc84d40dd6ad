// Answers of a proxy-pool API (proxy-source-api): any bytes. Nothing may crash, and every
// URL the parser hands the pool must read back as itself (the pool may store and re-read it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proxy_address.hpp"
#include "proxy_list_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace g2a::proxy_source_api;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ProxyList list = parse_proxy_list(in);
  for (const auto& url : list.urls) {
    std::string why;
    auto again = parse_proxy_text(url, &why);
    if (!again || to_url(*again) != url) std::abort();
  }
  if (list.urls.empty() && empty_list_reason(list).empty()) std::abort();
  return 0;
}
