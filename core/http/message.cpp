#include "core/http/message.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <strings.h>

#include "core/http/form_urlencoded.hpp"

namespace g2a::http {

std::string_view Request::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return h.value;
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto fields = parse_form_urlencoded(query);
  if (const std::string* value = find_field(fields, name)) return *value;
  return std::nullopt;
}

bool Request::from_loopback() const {
  return remote_ip.rfind("127.", 0) == 0 || remote_ip == "::1" ||
         remote_ip.rfind("::ffff:127.", 0) == 0;
}

std::string percent_decode(std::string_view in, bool form) {
  std::string out;
  out.reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(form && c == '+' ? ' ' : c);
  }
  return out;
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string_view error_type_for(int status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 409:
      return "conflict_error";
    case 429:
      return "rate_limit_error";
    default:
      return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

Response error_response(int status, std::string_view message, std::string_view type,
                        std::string_view param, std::string_view code) {
  boost::json::object err;
  err["message"] = message;
  err["type"] = type.empty() ? error_type_for(status) : type;
  err["param"] = param.empty() ? boost::json::value(nullptr) : boost::json::value(param);
  err["code"] = code.empty() ? boost::json::value(nullptr) : boost::json::value(code);
  boost::json::object root;
  root["error"] = std::move(err);
  return json_response(status, boost::json::serialize(root));
}

}  // namespace g2a::http
