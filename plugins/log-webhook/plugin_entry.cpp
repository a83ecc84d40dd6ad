// The log-webhook plugin's C entry point.
#include "webhook_sink.hpp"

G2A_DECLARE_PLUGIN(g2a::webhook::WebhookSink, "log-webhook", "1.0.0", "grok2api",
                   "Sends call-log records to HTTP receivers, signed with HMAC-SHA256",
                   G2A_FLAG_THREAD_SAFE)
