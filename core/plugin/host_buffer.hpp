// Buffers a plugin handed to the host (plugin.h ownership rule 2): copy, then free.
#pragma once

#include <string>

#include <grok2api/plugin.h>

#include "core/plugin/host_context.hpp"

namespace g2a::plugin {

// The buffer's bytes as a string; frees the buffer and empties it.
inline std::string take_buffer(g2a_buf& b) {
  std::string s = b.data ? std::string(b.data, b.len) : std::string();
  host_table()->free(b.data);
  b = g2a_buf{nullptr, 0};
  return s;
}

}  // namespace g2a::plugin
