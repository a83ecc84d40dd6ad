// Wall-clock milliseconds since the Unix epoch: what the gateway stores and sends as times
// (call logs, sessions, video tasks, Pro's epoch-ms fields). Components that tests drive
// through time take an injectable clock (tokens::NowFn, ProxyPool's options) defaulting to
// this one.
#pragma once

#include <chrono>
#include <cstdint>

namespace g2a::runtime {

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace g2a::runtime
