#include "connection_pool.hpp"

#include <fmt/format.h>

namespace g2a::storage_redis {

ConnectionPool::ConnectionPool(RedisTarget target, Timeouts timeouts, unsigned size)
    : target_(std::move(target)), timeouts_(timeouts), size_(size < 1 ? 1 : size) {}

std::unique_ptr<RedisConnection> ConnectionPool::acquire() {
  std::vector<std::unique_ptr<RedisConnection>> stale;  // closed outside the lock
  {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [this] { return in_use_ < size_; });
    ++in_use_;
    while (!idle_.empty()) {
      std::unique_ptr<RedisConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->usable()) return conn;
      stale.push_back(std::move(conn));
    }
  }
  try {
    return std::make_unique<RedisConnection>(target_, timeouts_);
  } catch (...) {
    std::lock_guard lock(mu_);
    --in_use_;
    freed_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<RedisConnection> conn) {
  std::lock_guard lock(mu_);
  --in_use_;
  if (conn && !conn->broken()) idle_.push_back(std::move(conn));
  freed_.notify_one();
}

void ConnectionPool::throw_unconnected(const g2a::Error& e, std::string_view what) {
  throw g2a::Error(e.status(), fmt::format("{} (for {})", e.what(), what));
}

void ConnectionPool::drop_idle() {
  std::vector<std::unique_ptr<RedisConnection>> idle;
  std::lock_guard lock(mu_);
  idle.swap(idle_);
}

}  // namespace g2a::storage_redis
