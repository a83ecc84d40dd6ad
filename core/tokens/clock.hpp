// Wall-clock milliseconds since the Unix epoch, injectable so tests can move time. The
// token pool persists times (Pro fields are epoch ms), so a steady clock would not do.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace g2a::tokens {

using NowFn = std::function<int64_t()>;

inline int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace g2a::tokens
