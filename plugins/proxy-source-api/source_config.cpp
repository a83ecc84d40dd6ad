#include "source_config.hpp"

#include "config_reader.hpp"

namespace g2a::proxy_source_api {

SourceConfig parse_source_config(std::string_view text) {
  plugin_common::ConfigReader config(text);
  SourceConfig c;
  c.url = config.http_url("url");
  c.timeout_ms = config.milliseconds("timeout_ms", c.timeout_ms, 1, 600000);
  return c;
}

std::string describe_url(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("?#", start);
  std::string_view rest = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  size_t slash = rest.find('/');
  size_t at = rest.substr(0, slash).rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  std::string out(url.substr(0, start));
  out += rest;
  if (end != std::string_view::npos) out += "?...";
  return out;
}

}  // namespace g2a::proxy_source_api
