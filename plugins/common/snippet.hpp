// A short, valid-UTF-8 quote of raw upstream bytes for error messages: the actions are
// JSON, and a message cut inside a character (or quoting binary garbage) would break them.
#pragma once

#include <string>
#include <string_view>

namespace g2a::plugin_common {

// At most `max` bytes of `data`; invalid bytes and control characters become '?'.
std::string snippet(std::string_view data, size_t max = 120);

}  // namespace g2a::plugin_common
