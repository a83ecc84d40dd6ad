// /health and /metrics.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::app {

void add_ops_routes(http::Router& router, AppContext& ctx);

}  // namespace g2a::app
