// Answers of the admin API in the Pro service's shapes ({"success", "message", ...}),
// with truthful statuses and, on errors, the OpenAI envelope beside them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/http/message.hpp"

namespace g2a::admin {

http::Response pro_error(int status, const std::string& message, std::string_view param = {},
                         std::string_view code = {});
http::Response pro_ok(boost::json::object body);
// The body as a JSON object, or nullopt.
std::optional<boost::json::object> parse_object(const std::string& body);

}  // namespace g2a::admin
