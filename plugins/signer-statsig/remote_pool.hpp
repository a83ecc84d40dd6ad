// Values fetched ahead from the remote signer, per "METHOD /path". sign() cannot wait for
// an HTTP round trip, so it only takes from here; each value is handed out once and
// dropped when older than max_age. The pool also remembers which keys were asked for, so
// refills cover them.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace g2a::statsig {

class RemotePool {
 public:
  RemotePool(size_t batch, uint64_t max_age_ms, size_t max_keys = 64);

  // The oldest fresh value for key, removed from the pool. Marks key as wanted.
  std::optional<std::string> take(const std::string& key, uint64_t mono_ms);
  // Adds values not handed out or held before.
  void add(const std::string& key, const std::vector<std::string>& values, uint64_t mono_ms);
  void want(const std::string& key, uint64_t mono_ms);

  // Wanted keys holding fewer than half a batch of fresh values.
  std::vector<std::string> low_keys(uint64_t mono_ms);
  // Wanted keys without a single fresh value.
  size_t empty_keys(uint64_t mono_ms);
  size_t fresh(const std::string& key, uint64_t mono_ms);
  size_t total() const;
  size_t batch() const { return batch_; }
  // Forgets every value (the page's seed changed), keeps the wanted keys.
  void clear();

 private:
  struct Slot {
    std::deque<std::pair<uint64_t, std::string>> values;  // (fetched at, value), oldest first
    uint64_t wanted_at = 0;
  };
  void expire(Slot& slot, uint64_t mono_ms);             // mu_ held
  void touch(const std::string& key, uint64_t mono_ms);  // mu_ held

  const size_t batch_;
  const uint64_t max_age_ms_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  std::map<std::string, Slot> slots_;
  std::deque<std::string> issued_;  // recent values, so none is handed out twice
};

}  // namespace g2a::statsig
