// The browser's own fallback value, sent when its signer throws: base64 of
// "x1:" + the error message. Reported to pass on some endpoints (spec §1.4); a degraded
// last resort, never the default.
#pragma once

#include <cstdint>
#include <string>

namespace g2a::statsig {

// base64("x1:TypeError: Cannot read properties of undefined (reading '<10 letters>')"),
// 72 bytes before encoding; the letters come from `random`, so values differ.
std::string x1_value(uint64_t random);

}  // namespace g2a::statsig
