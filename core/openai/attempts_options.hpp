// The token-attempt options of a request: its call record, the proxy pool (or, without
// one, the direct egress of the settings) and the page a Cloudflare challenge is solved on.
#pragma once

#include <string>
#include <string_view>

#include "core/openai/token_attempts.hpp"

namespace g2a::app {
struct AppContext;
}
namespace g2a::config {
struct Settings;
}

namespace g2a::openai {

TokenAttemptsOptions attempts_options(app::AppContext& ctx, const config::Settings& settings,
                                      std::string_view log_tag, std::string model,
                                      calllog::CallRecord* call);

}  // namespace g2a::openai
