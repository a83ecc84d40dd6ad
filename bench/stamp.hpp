// The fast upstream's own timestamps travel inside the first piece of every answer, so the
// load generator can tell the proxy's share of the time to first byte from the upstream's:
// "@@t=<send time>;o=<own time>@@", both in nanoseconds. The send time is CLOCK_MONOTONIC,
// one clock for every process of the machine; the own time is how long the upstream spent
// between reading a message of this turn and having answered it, summed over the turn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::bench {

int64_t monotonic_ns();

std::string format_stamp(int64_t sent_ns, int64_t own_ns);

struct Stamp {
  int64_t sent_ns = 0;
  int64_t own_ns = 0;
};

// The first complete stamp in text, if any.
std::optional<Stamp> find_stamp(std::string_view text);

// The most bytes a stamp takes (for callers that scan a growing buffer).
inline constexpr size_t kMaxStampBytes = 48;

}  // namespace g2a::bench
