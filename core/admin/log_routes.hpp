// The call-log admin API in the Pro shapes: GET /api/logs, GET /api/logs/models,
// DELETE /api/logs.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::admin {

void add_log_routes(http::Router& router, app::AppContext& ctx);

}  // namespace g2a::admin
