// UTF-8 encoding of code points met in HTML entities and JavaScript string escapes.
#pragma once

#include <cstdint>
#include <string>

namespace g2a::statsig {

// Appends cp as UTF-8; NUL and values beyond U+10FFFF become U+FFFD.
void append_utf8(std::string& out, unsigned long cp);

}  // namespace g2a::statsig
