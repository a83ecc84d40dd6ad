#include "requests.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "url_util.hpp"

namespace g2a::statsig {

HttpSpec page_request(const SignerConfig& cfg, const std::string& url) {
  HttpSpec s;
  s.url = url;
  s.timeout_ms = cfg.timeout_ms;
  s.proxy_url = cfg.proxy_url;
  // No Accept-Encoding: the host's transport returns the body as sent.
  s.headers = {
      {"Accept",
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/"
       "*;q=0.8"},
      {"Accept-Language", cfg.accept_language},
      {"Cache-Control", "no-cache"},
      {"Pragma", "no-cache"},
      {"Sec-Fetch-Dest", "document"},
      {"Sec-Fetch-Mode", "navigate"},
      {"Sec-Fetch-Site", "none"},
      {"Sec-Fetch-User", "?1"},
      {"Upgrade-Insecure-Requests", "1"},
      {"User-Agent", cfg.user_agent},
  };
  if (!cfg.cookie.empty()) s.headers.emplace_back("Cookie", cfg.cookie);
  return s;
}

HttpSpec chunk_request(const SignerConfig& cfg, const std::string& url,
                       const std::string& referer) {
  HttpSpec s;
  s.url = url;
  s.timeout_ms = cfg.timeout_ms;
  s.proxy_url = cfg.proxy_url;
  bool same_origin = url_origin(url) == url_origin(referer);
  s.headers = {
      {"Accept", "*/*"},
      {"Accept-Language", cfg.accept_language},
      {"Referer", referer},
      {"Sec-Fetch-Dest", "script"},
      {"Sec-Fetch-Mode", "no-cors"},
      {"Sec-Fetch-Site", same_origin ? "same-origin" : "cross-site"},
      {"User-Agent", cfg.user_agent},
  };
  if (!cfg.cookie.empty() && same_origin) s.headers.emplace_back("Cookie", cfg.cookie);
  return s;
}

HttpSpec remote_request(const SignerConfig& cfg, const RemoteTarget& target,
                        std::string_view meta_content) {
  boost::json::object body;
  body["method"] = target.method;
  body["path"] = target.path;
  body["environment"] = boost::json::object{{"metaContent", meta_content}};
  HttpSpec s;
  s.method = "POST";
  s.url = cfg.remote_url;
  s.timeout_ms = cfg.timeout_ms;
  s.proxy_url = cfg.proxy_url;
  s.body = boost::json::serialize(body);
  s.headers = {{"Content-Type", "application/json"},
               {"Accept", "application/json"},
               {"User-Agent", cfg.user_agent}};
  return s;
}

}  // namespace g2a::statsig
