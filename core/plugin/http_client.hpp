// HTTP for plugins (host->http_request / http_cancel).
#pragma once

#include <grok2api/plugin.h>

namespace g2a::plugin {

g2a_status http_request(g2a_host_ctx* ctx, const g2a_http_request* req, g2a_http_done_fn done,
                        void* user, uint64_t* out_call_id);
g2a_status http_cancel(g2a_host_ctx* ctx, uint64_t call_id);

}  // namespace g2a::plugin
