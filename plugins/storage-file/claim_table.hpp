// Claims for a single gateway process: leases kept in memory, timed on the host's
// monotonic clock. Nothing is persisted, since a restart ends every lease anyway.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace g2a::storage_file {

class ClaimTable {
 public:
  // Acquires `name` for `owner` until now_ms + lease_ms, or renews it when owner holds it.
  // Returns whether owner holds the claim afterwards.
  bool claim(std::string_view name, std::string_view owner, uint32_t lease_ms, uint64_t now_ms);
  // Releasing a claim held by someone else (or nobody) does nothing.
  void release(std::string_view name, std::string_view owner);

 private:
  struct Lease {
    std::string owner;
    uint64_t expires_ms;
  };
  std::mutex mu_;
  std::map<std::string, Lease, std::less<>> leases_;
};

}  // namespace g2a::storage_file
