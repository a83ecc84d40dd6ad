// HTTP for plugins (host->http_request / http_cancel).
#pragma once

#include <grok2api/plugin.h>

namespace g2a::plugin {

g2a_status http_request(g2a_host_ctx* ctx, const g2a_http_request* req, g2a_http_done_fn done,
                        void* user, uint64_t* out_call_id);
g2a_status http_cancel(g2a_host_ctx* ctx, uint64_t call_id);
// Cancels every plugin HTTP call in flight and refuses new ones (shutdown); each done
// callback of a call in flight still runs once.
void http_cancel_all();
// Plugin HTTP calls not finished yet (their done callback has not returned).
size_t http_in_flight();

}  // namespace g2a::plugin
