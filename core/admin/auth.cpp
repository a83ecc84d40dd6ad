#include "core/admin/auth.hpp"

#include <openssl/crypto.h>

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
      co_await ex.send(http::error_response(
          403,
          "The admin password is still the default; the admin API answers loopback clients "
          "only until global.admin_password is changed.",
          "permission_error", {}, "DEFAULT_ADMIN_PASSWORD"));
      co_return;
    }
    auto check = co_await ctx.sessions->check(bearer_token(ex.request()));
    if (check != SessionCheck::kValid) {
      const char* code = check == SessionCheck::kMissing   ? "UNAUTHORIZED"
                         : check == SessionCheck::kExpired ? "SESSION_EXPIRED"
                                                           : "SESSION_INVALID";
      co_await ex.send(http::error_response(401,
                                            "A valid admin session is required (POST /api/login).",
                                            "authentication_error", {}, code));
      co_return;
    }
    co_await inner(ex);
  };
}

http::Handler require_api_key(app::AppContext& ctx, http::Handler inner) {
  return [&ctx, inner = std::move(inner)](http::Exchange& ex) -> boost::asio::awaitable<void> {
    auto settings = ctx.current();
    const auto& key = settings->grok.api_key;
    if (!key.empty()) {
      auto given = bearer_token(ex.request());
      if (given.size() != key.size() || CRYPTO_memcmp(given.data(), key.data(), key.size()) != 0) {
        co_await ex.send(http::error_response(
            401,
            given.empty() ? "You didn't provide an API key (Authorization: Bearer <key>)."
                          : "Incorrect API key provided.",
            "invalid_request_error", {}, "invalid_api_key"));
        co_return;
      }
    }
    co_await inner(ex);
  };
}

}  // namespace g2a::admin
