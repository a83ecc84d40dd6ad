// The exported entry point of video-grok-imagine.so.

#include <grok2api/plugin.hpp>

#include "imagine_adapter.hpp"

G2A_DECLARE_PLUGIN(g2a::grok_imagine::ImagineAdapter, "video-grok-imagine", "0.1.0", "grok2api",
                   "grok.com imagine video (grok-imagine-0.9, sora-2, sora-2-pro)",
                   G2A_FLAG_THREAD_SAFE)
