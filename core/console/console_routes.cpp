#include "core/console/console_routes.hpp"

#include <string>
#include <string_view>

#include "core/console/console_assets.hpp"

namespace g2a::console {
namespace {

const Asset* find_asset(std::string_view name) {
  for (const auto& a : assets())
    if (name == a.name) return &a;
  return nullptr;
}

// Scripts, styles, images and API calls only from the gateway itself: the pages work
// with no internet and an injected string cannot load or run anything.
constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

http::Response asset_response(const http::Request& req, const Asset& a) {
  http::Response r;
  r.content_type = a.content_type;
  r.headers.push_back({"ETag", a.etag});
  // Revalidated on every load, so an upgraded gateway never serves a stale script.
  r.headers.push_back({"Cache-Control", "no-cache"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.headers.push_back({"Referrer-Policy", "same-origin"});
  r.headers.push_back({"Content-Security-Policy", kPolicy});
  if (req.header("If-None-Match") == a.etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.body.assign(reinterpret_cast<const char*>(a.data), a.size);
  return r;
}

boost::asio::awaitable<void> answer(http::Exchange& ex, std::string_view name) {
  const Asset* a = find_asset(name);
  if (!a) {
    co_await ex.send(http::error_response(404, "No such console file.", {}, {}, "not_found"));
    co_return;
  }
  co_await ex.send(asset_response(ex.request(), *a));
}

}  // namespace

void add_console_routes(http::Router& router) {
  router.add("GET", "/", [](http::Exchange& ex) -> boost::asio::awaitable<void> {
    http::Response r;
    r.status = 302;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.push_back({"Location", "/manage"});
    r.body = "/manage\n";
    co_await ex.send(std::move(r));
  });
  router.add("GET", "/login", [](http::Exchange& ex) -> boost::asio::awaitable<void> {
    co_await answer(ex, "login.html");
  });
  router.add("GET", "/manage", [](http::Exchange& ex) -> boost::asio::awaitable<void> {
    co_await answer(ex, "manage.html");
  });
  router.add("GET", "/static/{name}", [](http::Exchange& ex) -> boost::asio::awaitable<void> {
    std::string name = ex.request().params["name"];
    co_await answer(ex, name);
  });
}

}  // namespace g2a::console
