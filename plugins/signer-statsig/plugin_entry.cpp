// The exported entry point of signer-statsig.so.

#include <grok2api/plugin.hpp>

#include "statsig_signer.hpp"

G2A_DECLARE_PLUGIN(g2a::statsig::StatsigSigner, "signer-statsig", "0.1.0", "grok2api",
                   "grok.com x-statsig-id: local computation, remote signer, fixed or x1 values",
                   G2A_FLAG_THREAD_SAFE)
