// pool_size connections shared by the host's blocking threads: a call takes a free one (or
// waits for one), reconnects first when its connection was lost, and after losing the
// connection mid-call runs an idempotent call once more on a fresh one (a server restart
// then costs nobody an error).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "redis_connection.hpp"

namespace g2a::storage_redis {

enum class Retry { kNever, kOnce };

class ConnectionPool {
 public:
  ConnectionPool(RedisTarget target, Timeouts timeouts, unsigned size);

  // `what` names the call in the message when no connection can be made.
  template <class F>
  auto run(std::string_view what, Retry retry, F&& fn)
      -> decltype(fn(std::declval<RedisConnection&>())) {
    for (int attempt = 0;; ++attempt) {
      std::optional<Lease> lease;
      try {
        lease.emplace(*this);
      } catch (const g2a::Error& e) {
        throw_unconnected(e, what);
      }
      try {
        return fn(lease->connection());
      } catch (const ConnectionLost& e) {
        if (retry == Retry::kNever || e.timed_out() || attempt > 0) throw;
      }
    }
  }

  // Drops every idle connection (they are re-opened on demand).
  void drop_idle();

 private:
  class Lease {
   public:
    explicit Lease(ConnectionPool& pool) : pool_(pool), conn_(pool.acquire()) {}
    ~Lease() { pool_.give_back(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    RedisConnection& connection() { return *conn_; }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<RedisConnection> conn_;
  };

  [[noreturn]] static void throw_unconnected(const g2a::Error& e, std::string_view what);
  // Blocks until a slot is free; connects when no idle connection is usable.
  std::unique_ptr<RedisConnection> acquire();
  void give_back(std::unique_ptr<RedisConnection> conn);

  RedisTarget target_;
  Timeouts timeouts_;
  unsigned size_;
  std::mutex mu_;
  std::condition_variable freed_;
  unsigned in_use_ = 0;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
};

}  // namespace g2a::storage_redis
