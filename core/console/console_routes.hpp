// The admin web console: / (to /manage), /login, /manage and /static/<file>, from files
// compiled into the binary. The pages talk to the admin API; they hold no secrets.
#pragma once

#include "core/http/router.hpp"

namespace g2a::console {

void add_console_routes(http::Router& router);

}  // namespace g2a::console
