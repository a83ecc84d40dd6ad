// The Pro service's MCP endpoint (spec grok-upstream-and-pro §4.6): POST /mcp, the
// streamable-HTTP transport of the Model Context Protocol, stateless (no session id, no
// server-sent stream; GET and DELETE answer 405). JSON-RPC 2.0 messages: initialize,
// notifications (202), ping, tools/list and tools/call of one tool, ask_grok, which runs a
// whole (non-streamed) chat completion through the /v1/chat/completions handler. Protected
// by the API keys like /v1.
#pragma once

#include "core/app/context.hpp"
#include "core/http/router.hpp"
#include "core/openai/routes.hpp"

namespace g2a::openai {

void add_mcp_routes(http::Router& router, app::AppContext& ctx, OpenAiServices services);

}  // namespace g2a::openai
