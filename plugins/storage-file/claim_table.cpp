#include "claim_table.hpp"

namespace g2a::storage_file {

bool ClaimTable::claim(std::string_view name, std::string_view owner, uint32_t lease_ms,
                       uint64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = leases_.find(name);
  if (it != leases_.end() && it->second.owner != owner && it->second.expires_ms > now_ms)
    return false;
  Lease lease{std::string(owner), now_ms + lease_ms};
  if (it == leases_.end())
    leases_.emplace(std::string(name), std::move(lease));
  else
    it->second = std::move(lease);
  return true;
}

void ClaimTable::release(std::string_view name, std::string_view owner) {
  std::lock_guard lock(mu_);
  auto it = leases_.find(name);
  if (it != leases_.end() && it->second.owner == owner) leases_.erase(it);
}

}  // namespace g2a::storage_file
