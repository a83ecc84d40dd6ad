#include "core/ops/mask.hpp"

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

}  // namespace g2a::ops
