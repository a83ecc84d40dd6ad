#include "core/admin/pro_response.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace g2a::admin {
namespace json = boost::json;

http::Response pro_error(int status, const std::string& message, std::string_view param,
                         std::string_view code) {
  auto r = http::error_response(status, message, {}, param, code);
  auto v = json::parse(r.body);
  v.as_object()["success"] = false;
  v.as_object()["message"] = message;
  r.body = json::serialize(v);
  return r;
}

http::Response pro_ok(json::object body) {
  body["success"] = true;
  return http::json_response(200, json::serialize(body));
}

std::optional<json::object> parse_object(const std::string& body) {
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

}  // namespace g2a::admin
