// The admin API of this foundation: login, logout, settings and storage mode.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::admin {

void add_admin_routes(http::Router& router, app::AppContext& ctx);

}  // namespace g2a::admin
