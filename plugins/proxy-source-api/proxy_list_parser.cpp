#include "proxy_list_parser.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <set>

#include "proxy_address.hpp"
#include "text_codec.hpp"

namespace g2a::proxy_source_api {
namespace {

namespace json = boost::json;

// Nesting of wrapper objects followed ({"data":{"list":[...]}}); more is not an answer.
constexpr int kMaxWrapDepth = 4;

class Collector {
 public:
  explicit Collector(ProxyList& out) : out_(out) {}

  void add(std::optional<ProxyAddress> a, const std::string& why) {
    ++entries_;
    if (!a) {
      ++out_.rejected;
      if (out_.first_problem.empty())
        out_.first_problem = "entry " + std::to_string(entries_) + ": " + why;
      return;
    }
    std::string url = to_url(*a);
    if (seen_.insert(url).second) out_.urls.push_back(std::move(url));
  }

  void text(std::string_view body) {
    size_t pos = 0;
    while (pos <= body.size()) {
      size_t nl = body.find('\n', pos);
      std::string_view line =
          body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? body.size() + 1 : nl + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (line.empty() || line.front() == '#') continue;
      std::string why;
      auto a = parse_proxy_text(line, &why);
      add(std::move(a), why);
    }
  }

  void value(const json::value& v, int depth) {
    if (v.is_string()) return text(v.get_string());
    if (v.is_array()) {
      for (const auto& item : v.get_array()) element(item, depth);
      return;
    }
    if (v.is_object()) return object(v.get_object(), depth);
    add(std::nullopt, "it is neither a string nor an object");
  }

 private:
  // An element of a list: a string (one proxy) or an object (one proxy).
  void element(const json::value& item, int depth) {
    std::string why;
    if (item.is_string()) {
      auto a = parse_proxy_text(item.get_string(), &why);
      return add(std::move(a), why);
    }
    if (item.is_object() && !wrapped_list(item.get_object())) {
      auto a = from_object(item.get_object(), &why);
      return add(std::move(a), why);
    }
    if (item.is_object()) return object(item.get_object(), depth);
    add(std::nullopt, "it is neither a string nor an object");
  }

  static const json::value* wrapped_list(const json::object& o) {
    for (const char* key : {"data", "proxies", "list"})
      if (auto* v = o.if_contains(key)) return v;
    return nullptr;
  }

  void object(const json::object& o, int depth) {
    if (auto* inner = wrapped_list(o)) {
      if (depth >= kMaxWrapDepth) return add(std::nullopt, "the wrappers nest too deep");
      return value(*inner, depth + 1);
    }
    std::string why;
    auto a = from_object(o, &why);
    add(std::move(a), why);
  }

  static const json::string* string_field(const json::object& o,
                                          std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (auto* v = o.if_contains(n); v && v->is_string()) return &v->get_string();
    return nullptr;
  }

  static std::optional<unsigned> port_field(const json::object& o) {
    const json::value* v = o.if_contains("port");
    if (!v) return std::nullopt;
    if (v->is_int64() && v->get_int64() > 0 && v->get_int64() <= 65535)
      return static_cast<unsigned>(v->get_int64());
    if (v->is_uint64() && v->get_uint64() > 0 && v->get_uint64() <= 65535)
      return static_cast<unsigned>(v->get_uint64());
    if (v->is_string()) {
      std::string_view s = v->get_string();
      unsigned p = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), p);
      if (ec == std::errc() && end == s.data() + s.size() && p > 0 && p <= 65535) return p;
    }
    return 0;  // present but unusable
  }

  static std::optional<ProxyAddress> from_object(const json::object& o, std::string* why) {
    if (auto* url = string_field(o, {"url", "proxy"})) return parse_proxy_text(*url, why);
    const json::string* host = string_field(o, {"host", "ip", "hostname"});
    if (!host) {
      *why = "the object has no host";
      return std::nullopt;
    }
    auto port = port_field(o);
    ProxyAddress a;
    if (!port) {
      // "host":"1.2.3.4:8080" carries its port.
      auto parsed = parse_proxy_text(*host, why);
      if (!parsed) return std::nullopt;
      a = *parsed;
    } else {
      a.host = std::string(*host);
      std::transform(a.host.begin(), a.host.end(), a.host.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      a.port = *port;
    }
    if (auto* scheme = string_field(o, {"scheme", "protocol", "type"})) {
      auto known = known_scheme(*scheme);
      if (!known) {
        *why = "the scheme is not http, https, socks5 or socks5h";
        return std::nullopt;
      }
      a.scheme = *known;
    }
    if (auto* user = string_field(o, {"user", "username"})) a.user = std::string(*user);
    if (auto* pass = string_field(o, {"pass", "password"})) a.pass = std::string(*pass);
    if (a.user.empty() && !a.pass.empty()) {
      *why = "a password is given without a user name";
      return std::nullopt;
    }
    if (!valid_address(a, why)) return std::nullopt;
    return a;
  }

  ProxyList& out_;
  std::set<std::string> seen_;
  size_t entries_ = 0;
};

std::string_view strip(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // a UTF-8 byte-order mark
  return plugin_common::trim(s);
}

}  // namespace

ProxyList parse_proxy_list(std::string_view body) {
  ProxyList out;
  std::string_view s = strip(body);
  if (!s.empty() && (s.front() == '[' || s.front() == '{' || s.front() == '"')) {
    boost::system::error_code ec;
    json::value v = json::parse(s, ec);
    if (!ec) {
      out.format = "json";
      Collector(out).value(v, 0);
      return out;
    }
    // Not JSON: "[::1]:8080" is a text list whose first line is an IPv6 proxy.
  }
  out.format = "text";
  Collector(out).text(s);
  return out;
}

std::string empty_list_reason(const ProxyList& list) {
  if (list.rejected == 0) return "the answer (" + list.format + ") names no proxy";
  return "none of the " + std::to_string(list.rejected) + " entries of the answer (" + list.format +
         ") is a usable proxy (" + list.first_problem + ")";
}

}  // namespace g2a::proxy_source_api
