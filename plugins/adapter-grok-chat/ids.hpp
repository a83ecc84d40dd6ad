// Client-side ids of grok.com's frames: random UUIDs and millisecond stamps, like the site.
#pragma once

#include <cstdint>
#include <string>

namespace g2a::grok_chat {

// A random (version 4) UUID in lower-case hex.
std::string random_uuid();
// Wall-clock milliseconds since the Unix epoch.
int64_t wall_ms();

}  // namespace g2a::grok_chat
