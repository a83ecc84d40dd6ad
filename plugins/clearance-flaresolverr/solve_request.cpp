#include "solve_request.hpp"

#include "text_codec.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace g2a::flaresolverr {

std::optional<SolverProxy> split_proxy(std::string_view proxy_url) {
  if (proxy_url.empty()) return std::nullopt;
  size_t sep = proxy_url.find("://");
  if (sep == std::string_view::npos || sep == 0)
    throw std::invalid_argument("the egress's proxy URL has no scheme");
  std::string scheme(proxy_url.substr(0, sep));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "socks5h") scheme = "socks5";
  if (scheme != "http" && scheme != "https" && scheme != "socks5" && scheme != "socks4")
    throw std::invalid_argument("FlareSolverr cannot use a " + scheme + ":// proxy");
  std::string_view rest = proxy_url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  SolverProxy out;
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    size_t colon = userinfo.find(':');
    out.username = plugin_common::percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos)
      out.password = plugin_common::percent_decode(userinfo.substr(colon + 1));
    rest.remove_prefix(at + 1);
  }
  if (rest.empty()) throw std::invalid_argument("the egress's proxy URL has no host");
  out.url = scheme + "://" + std::string(rest);
  return out;
}

std::string build_solve_body(std::string_view page_url, std::string_view proxy_url,
                             uint32_t max_timeout_ms) {
  boost::json::object body;
  body["cmd"] = "request.get";
  body["url"] = page_url;
  body["maxTimeout"] = max_timeout_ms;
  if (auto proxy = split_proxy(proxy_url)) {
    boost::json::object p;
    p["url"] = proxy->url;
    if (!proxy->username.empty()) {
      p["username"] = proxy->username;
      p["password"] = proxy->password;
    }
    body["proxy"] = std::move(p);
  }
  return boost::json::serialize(body);
}

}  // namespace g2a::flaresolverr
