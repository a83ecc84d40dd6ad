// Conversion of a parsed Beast request into our Request (server and fuzz target only:
// keeps Beast out of every other header).
#pragma once

#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/http/message.hpp"

namespace g2a::http {

// Moves the body out of req.
Request from_beast(boost::beast::http::request<boost::beast::http::string_body>& req,
                   std::string remote_ip);

}  // namespace g2a::http
