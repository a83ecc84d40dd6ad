// The exported entry point of adapter-grok-chat.so.

#include <grok2api/plugin.hpp>

#include "grok_chat_adapter.hpp"

G2A_DECLARE_PLUGIN(g2a::grok_chat::GrokChatAdapter, "adapter-grok-chat", "0.1.0", "grok2api",
                   "grok.com chat (mgw WebSocket or REST NDJSON) as neutral turn events",
                   G2A_FLAG_THREAD_SAFE)
