// Proxy URLs from proxy-source plugins, the admin API and the settings: normalisation must
// never crash, every accepted URL is a fixed point with one of the four schemes, and the
// masked form (what the admin API answers) never contains the password.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/ops/mask.hpp"
#include "core/proxy/proxy_info.hpp"
#include "core/proxy/proxy_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto url = g2a::proxy::proxy_url_of(input);
  if (url) {
    if (g2a::proxy::proxy_url_of(*url) != url) std::abort();
    if (!url->starts_with("http://") && !url->starts_with("https://") &&
        !url->starts_with("socks5h://"))
      std::abort();
    // Masked: whatever stood before the host, the password is "****".
    auto masked = g2a::ops::mask_url_credentials(*url);
    auto at = masked.rfind('@');
    if (url->rfind('@') != std::string::npos &&
        (at == std::string::npos || at < 4 || masked.compare(at - 4, 4, "****") != 0))
      std::abort();
  }
  // The stored documents of the "proxies" collection come from files a person may edit.
  if (auto info = g2a::proxy::proxy_info_from_json(input))
    (void)g2a::proxy::proxy_info_from_json(g2a::proxy::to_json(*info));
  (void)g2a::proxy::assignment_from_json(input);
  return 0;
}
