// Claims as g2a:claim:<name> = owner with a PX expiry: the lease runs on the server's clock,
// so the instances' clocks do not matter. SET NX PX takes a free claim; a Lua script renews
// or releases it only for its owner.
#pragma once

#include <cstdint>
#include <string_view>

#include "connection_pool.hpp"

namespace g2a::storage_redis {

class RedisClaims {
 public:
  explicit RedisClaims(ConnectionPool& pool) : pool_(pool) {}
  bool claim(std::string_view name, std::string_view owner, uint32_t lease_ms);
  void release(std::string_view name, std::string_view owner);

 private:
  ConnectionPool& pool_;
};

}  // namespace g2a::storage_redis
