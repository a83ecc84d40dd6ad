// The token pool's clock: wall-clock milliseconds since the Unix epoch, injectable so tests
// can move time. The token pool persists times (Pro fields are epoch ms), so a steady clock
// would not do.
#pragma once

#include <cstdint>
#include <functional>

#include "core/runtime/clock.hpp"

namespace g2a::tokens {

using NowFn = std::function<int64_t()>;

}  // namespace g2a::tokens
