#include "webhook_config.hpp"

#include <boost/json.hpp>
#include <grok2api/plugin.hpp>

namespace g2a::webhook {
namespace {

constexpr std::string_view kPrefix = "plugins.log-webhook.";

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw g2a::Error(G2A_BAD_ARGUMENT, std::string(kPrefix) + key + ": " + why);
}

std::string as_string(const boost::json::value& v, const std::string& key) {
  if (!v.is_string()) fail(key, "must be a string");
  return std::string(v.get_string());
}

uint32_t as_count(const boost::json::value& v, const std::string& key, uint64_t min, uint64_t max) {
  if (!v.is_int64() && !v.is_uint64()) fail(key, "must be an integer");
  auto n = v.is_int64() ? v.get_int64() : static_cast<int64_t>(v.get_uint64());
  if (n < static_cast<int64_t>(min) || static_cast<uint64_t>(n) > max)
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return static_cast<uint32_t>(n);
}

// A string setting with two allowed values.
template <class E>
E one_of(const boost::json::value& v, const std::string& key, std::string_view a, E ea,
         std::string_view b, E eb, const char* why) {
  auto s = as_string(v, key);
  if (s == a) return ea;
  if (s != b) fail(key, why);
  return eb;
}

bool http_url(std::string_view url) {
  auto lower = std::string(url.substr(0, 8));
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto after = [&](std::string_view scheme) {
    return lower.rfind(scheme, 0) == 0 && url.size() > scheme.size();
  };
  return after("http://") || after("https://");
}

// A header name is a token (RFC 9110); a value holds no line breaks.
void check_header(const std::string& name, const std::string& value, const std::string& key) {
  if (name.empty()) fail(key, "a header name is empty");
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) ||
          std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos))
      fail(key + "." + name, "is not a valid header name");
  if (value.find_first_of("\r\n") != std::string::npos)
    fail(key + "." + name, "must not contain line breaks");
}

Receiver parse_receiver(const boost::json::value& v, const std::string& key) {
  if (!v.is_object()) fail(key, "must be a table");
  Receiver r;
  bool has_url = false;
  for (const auto& [k, val] : v.get_object()) {
    std::string name(k);
    std::string sub = key + "." + name;
    if (name == "url") {
      r.url = as_string(val, sub);
      if (!http_url(r.url)) fail(sub, "only http:// and https:// URLs are accepted");
      has_url = true;
    } else if (name == "format") {
      r.format = one_of(val, sub, "json", Format::json_array, "ndjson", Format::ndjson,
                        "must be \"json\" (one JSON array per delivery) or \"ndjson\"");
    } else if (name == "records") {
      r.records = one_of(val, sub, "all", Selection::all, "failures", Selection::failures,
                         "must be \"all\" or \"failures\"");
    } else if (name == "batch_size") {
      r.batch_size = as_count(val, sub, 1, 10000);
    } else if (name == "timeout_ms") {
      r.timeout_ms = as_count(val, sub, 100, 600000);
    } else if (name == "secret") {
      r.secret = as_string(val, sub);
    } else if (name == "headers") {
      if (!val.is_object()) fail(sub, "must be a table of header names to values");
      for (const auto& [hn, hv] : val.get_object()) {
        std::string header(hn);
        auto value = as_string(hv, sub + "." + header);
        check_header(header, value, sub);
        r.headers.emplace_back(header, value);
      }
    } else {
      fail(sub,
           "unknown key (expected url, format, records, batch_size, timeout_ms, secret, "
           "headers)");
    }
  }
  if (!has_url) fail(key + ".url", "is required");
  return r;
}

}  // namespace

std::vector<Receiver> parse_config(std::string_view json) {
  boost::json::error_code ec;
  auto root = boost::json::parse(json, ec);
  if (ec || !root.is_object()) fail("", "the settings table is not a JSON object");
  // No receivers: the plugin loads (it is found by default) and delivers nothing.
  const auto* receivers = root.get_object().if_contains("receivers");
  if (!receivers) return {};
  if (!receivers->is_array())
    fail("receivers", "must be an array of tables ([[plugins.log-webhook.receivers]])");
  std::vector<Receiver> out;
  const auto& list = receivers->get_array();
  for (size_t i = 0; i < list.size(); ++i)
    out.push_back(parse_receiver(list[i], "receivers[" + std::to_string(i) + "]"));
  return out;
}

std::string redact_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return std::string(url.substr(0, url.find_first_of("?#")));
  auto authority_start = scheme_end + 3;
  auto path_start = url.find_first_of("/?#", authority_start);
  auto authority = url.substr(authority_start, path_start == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : path_start - authority_start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string out(url.substr(0, authority_start));
  out += authority;
  if (path_start != std::string_view::npos) {
    auto rest = url.substr(path_start);
    out += rest.substr(0, rest.find_first_of("?#"));
  }
  return out;
}

}  // namespace g2a::webhook
