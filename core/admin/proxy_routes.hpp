// The Pro proxy admin API (spec grok-upstream-and-pro §5.2) with the additions:
// GET/POST/DELETE /api/proxies, /api/proxies/assign, /unassign, /test, /health/reset.
// Proxy URLs are answered with their credentials masked; a request may name a proxy by its
// full URL or by the masked form the list shows. SSOs are shown in full, as in Pro.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::proxy {
class ProxyPool;
}

namespace g2a::admin {

void add_proxy_routes(http::Router& router, app::AppContext& ctx, proxy::ProxyPool& pool);

}  // namespace g2a::admin
