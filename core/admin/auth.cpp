#include "core/admin/auth.hpp"

#include <fmt/format.h>

#include "core/admin/api_keys.hpp"
#include "core/admin/pro_response.hpp"
#include "core/admin/sessions.hpp"

namespace g2a::admin {

std::string bearer_token(const http::Request& request) {
  auto h = request.header("authorization");
  if (h.size() > 7 && (h.substr(0, 7) == "Bearer " || h.substr(0, 7) == "bearer "))
    return std::string(h.substr(7));
  return {};
}

http::Handler require_admin(app::AppContext& ctx, http::Handler inner) {
  return [&ctx, inner = std::move(inner)](http::Exchange& ex) -> boost::asio::awaitable<void> {
    auto settings = ctx.current();
    if (settings->global.admin_password == "admin" && !ex.request().from_loopback()) {
      co_await ex.send(pro_error(
          403,
          "The admin password is still the default; the admin API answers loopback clients "
          "only until global.admin_password is changed.",
          {}, "DEFAULT_ADMIN_PASSWORD"));
      co_return;
    }
    auto check = co_await ctx.sessions->check(bearer_token(ex.request()));
    if (check != SessionCheck::kValid) {
      const char* code = check == SessionCheck::kMissing   ? "UNAUTHORIZED"
                         : check == SessionCheck::kExpired ? "SESSION_EXPIRED"
                                                           : "SESSION_INVALID";
      co_await ex.send(
          pro_error(401, "A valid admin session is required (POST /api/login).", {}, code));
      co_return;
    }
    co_await inner(ex);
  };
}

namespace {

// The answer to a refused key, or nullopt when the request may go on.
std::optional<http::Response> key_refusal(const KeyCheck& check) {
  switch (check.result) {
    case KeyCheck::Result::kOpen:
    case KeyCheck::Result::kAccepted:
      return std::nullopt;
    case KeyCheck::Result::kMissing:
      return http::error_response(401,
                                  "You didn't provide an API key (Authorization: Bearer <key>).",
                                  "invalid_request_error", {}, "invalid_api_key");
    case KeyCheck::Result::kWrong:
      return http::error_response(401, "Incorrect API key provided.", "invalid_request_error", {},
                                  "invalid_api_key");
    case KeyCheck::Result::kRateLimited: {
      auto seconds = retry_after_seconds(check.retry_after);
      auto r = http::error_response(
          429,
          fmt::format("Rate limit reached for API key '{}': {} requests per minute. Try again in "
                      "{} s.",
                      check.name, check.rpm, seconds),
          {}, {}, "rate_limit_exceeded");
      r.headers.push_back({"Retry-After", std::to_string(seconds)});
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace

http::Handler require_api_key(app::AppContext& ctx, http::Handler inner) {
  return [&ctx, inner = std::move(inner)](http::Exchange& ex) -> boost::asio::awaitable<void> {
    auto check = ctx.api_keys->check(ctx.current(), bearer_token(ex.request()));
    if (auto refusal = key_refusal(check)) {
      co_await ex.send(std::move(*refusal));
      co_return;
    }
    ex.request().api_key_name = check.name;
    co_await inner(ex);
  };
}

bool key_allows_model(app::AppContext& ctx, const http::Request& request, std::string_view model) {
  return ctx.api_keys->allows(ctx.current(), request.api_key_name, model);
}

std::optional<http::Response> model_refusal(app::AppContext& ctx, const http::Request& request,
                                            std::string_view model) {
  if (key_allows_model(ctx, request, model)) return std::nullopt;
  return http::error_response(
      403,
      fmt::format("The API key '{}' may not use the model `{}` (see its models in "
                  "[[global.api_keys]]).",
                  request.api_key_name, model),
      "permission_error", "model", "model_not_allowed");
}

}  // namespace g2a::admin
