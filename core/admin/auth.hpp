// Guards for the admin API (/api/*) and the OpenAI API (/v1/*).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::admin {

// Wraps an admin handler: refuses non-loopback clients while the admin password is
// still the default, then requires a valid session token (Authorization: Bearer).
http::Handler require_admin(app::AppContext& ctx, http::Handler inner);

// Wraps an OpenAI API handler: requires Authorization: Bearer <grok.api_key> when an
// api_key is set.
http::Handler require_api_key(app::AppContext& ctx, http::Handler inner);

// The token of an "Authorization: Bearer <token>" header, or empty.
std::string bearer_token(const http::Request& request);

}  // namespace g2a::admin
