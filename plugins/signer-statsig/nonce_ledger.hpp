// Uniqueness of signed values. grok.com refuses a value it has seen, and two values for
// the same method, path and second differ only in their nonce byte, so each
// (method, path, second) may use each of the 256 nonces once. Entries are forgotten a few
// seconds after they were created, which bounds memory: requests sign for "now", so a
// second's entry is no longer needed once that second has passed.
#pragma once

#include <bitset>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

namespace g2a::statsig {

class NonceLedger {
 public:
  explicit NonceLedger(uint64_t retain_ms = 5000, size_t max_entries = 100000);

  // An unused nonce for (method, pathname, e), picked at random among those left; nullopt
  // when all 256 are used. mono_ms (a monotonic clock) drives forgetting. Throws
  // g2a::Error(G2A_RETRY) when max_entries recent keys are tracked already.
  std::optional<uint8_t> claim(std::string_view method, std::string_view pathname, uint32_t e,
                               uint64_t mono_ms);

  // Tracked (method, pathname, e) entries.
  size_t size() const;

 private:
  struct Entry {
    std::bitset<256> used;
    uint64_t created_ms = 0;
  };
  void forget_old(uint64_t mono_ms);  // mu_ held

  const uint64_t retain_ms_;
  const size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::pair<uint64_t, std::string>> by_age_;
  std::mt19937_64 rng_;
};

}  // namespace g2a::statsig
