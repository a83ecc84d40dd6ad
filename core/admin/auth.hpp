// Guards for the admin API (/api/*) and the OpenAI API (/v1/*).
#pragma once

#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::admin {

// Wraps an admin handler: refuses non-loopback clients while the admin password is
// still the default, then requires a valid session token (Authorization: Bearer).
// Refusals carry the Pro body ({"success":false,"message"}) with a truthful status.
http::Handler require_admin(app::AppContext& ctx, http::Handler inner);

// Wraps an OpenAI API handler: when any API key is configured (grok.api_key or
// [[global.api_keys]]), requires Authorization: Bearer <one of them> (401 otherwise),
// counts the request against the key's rpm (429 rate_limit_exceeded with Retry-After
// when over), and records the key's name in request().api_key_name.
http::Handler require_api_key(app::AppContext& ctx, http::Handler inner);

// The one question handlers ask about a model a client requested: nullopt when the
// request's key may use it, else the 403 answer (OpenAI envelope, param "model").
std::optional<http::Response> model_refusal(app::AppContext& ctx, const http::Request& request,
                                            std::string_view model);
// The same question for listing: whether /v1/models shows model to this request's key.
bool key_allows_model(app::AppContext& ctx, const http::Request& request, std::string_view model);

// The token of an "Authorization: Bearer <token>" header, or empty.
std::string bearer_token(const http::Request& request);

}  // namespace g2a::admin
