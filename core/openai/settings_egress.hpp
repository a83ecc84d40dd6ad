// The egress of a request until the proxy pool picks one: direct, with the configured
// User-Agent and the default cf_clearance (grok.user_agent, grok.cf_clearance).
#pragma once

#include "core/config/settings.hpp"
#include "core/upstream/grok/identity.hpp"

namespace g2a::openai {

inline upstream::grok::Egress settings_egress(const config::Settings& settings) {
  upstream::grok::Egress egress;
  egress.user_agent = settings.grok.user_agent;
  if (!settings.grok.cf_clearance.empty())
    egress.cf_cookies["cf_clearance"] = settings.grok.cf_clearance;
  return egress;
}

}  // namespace g2a::openai
