#include "core/openai/attempts_options.hpp"

#include "core/app/context.hpp"
#include "core/openai/settings_egress.hpp"

namespace g2a::openai {

TokenAttemptsOptions attempts_options(app::AppContext& ctx, const config::Settings& settings,
                                      std::string_view log_tag, std::string model,
                                      calllog::CallRecord* call) {
  TokenAttemptsOptions o;
  o.log_tag = log_tag;
  o.model = std::move(model);
  o.call = call;
  o.egress = ctx.egress;
  o.fallback = settings_egress(settings);
  o.challenge_url = settings.grok.upstream_url + "/";
  return o;
}

}  // namespace g2a::openai
