// GET /api/sinks: per log-sink plugin, what was delivered, retried and dropped, what waits
// and the last error.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::admin {

void add_sink_routes(http::Router& router, app::AppContext& ctx);

}  // namespace g2a::admin
