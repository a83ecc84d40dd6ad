// The Pro service's token and stats admin API (spec grok-upstream-and-pro §5.2), with the
// same JSON shapes so its console and scripts keep working, plus POST /api/tokens/prepare.
// Errors keep the Pro body ({"success":false,"message":...}) with a truthful HTTP status.
// An admin sees full tokens: they are the keys of these routes, as in the Pro service.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"
#include "core/tokens/quota_reader.hpp"

namespace g2a::tokens {
class TokenPool;
}

namespace g2a::admin {

// grok may be null (no signer): /test and /prepare then answer 503. egress defaults to a
// direct egress with grok.user_agent.
void add_token_routes(http::Router& router, app::AppContext& ctx, tokens::TokenPool& pool,
                      upstream::grok::GrokClient* grok, tokens::EgressFor egress = {});

}  // namespace g2a::admin
