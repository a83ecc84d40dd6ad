// GET /api/plugins: the loaded plugins (id, version, vendor, kinds, ABI, file) and the
// files that failed to load, with why.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"

namespace g2a::admin {

void add_plugin_routes(http::Router& router, app::AppContext& ctx);

}  // namespace g2a::admin
