#include "core/ops/mask.hpp"

#include <cctype>

namespace g2a::ops {

std::string mask_token(std::string_view token) {
  if (token.size() <= 10) return std::string(token.substr(0, token.size() / 2)) + "****";
  return std::string(token.substr(0, 10)) + "****";
}

std::string mask_secret(std::string_view secret) {
  return secret.empty() ? "" : "****";
}

std::string mask_url_credentials(std::string_view url) {
  auto scheme_end = url.find("://");
  size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  auto slash = url.find('/', start);
  auto at = url.rfind('@', slash == std::string_view::npos ? url.size() : slash);
  if (at == std::string_view::npos || at < start) return std::string(url);
  std::string_view userinfo = url.substr(start, at - start);
  auto colon = userinfo.find(':');
  std::string user(userinfo.substr(0, colon));
  if (user.size() > 12) user = user.substr(0, 4) + "****";
  return std::string(url.substr(0, start)) + user + ":****" + std::string(url.substr(at));
}

std::string mask_urls_in_text(std::string_view text) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    // http(s) and proxy URLs (socks5://user:pass@... in a proxy plugin's message).
    size_t http = text.find_first_of("hs", at);
    if (http == std::string_view::npos) break;
    std::string_view rest = text.substr(http);
    if (!rest.starts_with("http://") && !rest.starts_with("https://") &&
        !rest.starts_with("socks5://") && !rest.starts_with("socks5h://") &&
        !rest.starts_with("socks4://")) {
      out += text.substr(at, http + 1 - at);
      at = http + 1;
      continue;
    }
    size_t end = http;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
           text[end] != '"' && text[end] != '\'' && text[end] != '>')
      ++end;
    // Punctuation that ends a sentence ("<url>: HTTP 500") is not part of the URL.
    while (end > http && std::string_view(":,.;)").find(text[end - 1]) != std::string_view::npos)
      --end;
    std::string_view url = text.substr(http, end - http);
    size_t cut = url.find_first_of("?#");
    bool had_query = cut != std::string_view::npos;
    out += text.substr(at, http - at);
    out += mask_url_credentials(url.substr(0, cut));
    if (had_query) out += "?****";
    at = end;
  }
  if (at < text.size()) out += text.substr(at);
  return out;
}

}  // namespace g2a::ops
