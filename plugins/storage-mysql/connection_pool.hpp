// pool_size connections shared by the plugin's callers: a call takes a free connection,
// waiting when none is free, opens it when it is closed (first use, or lost), and runs
// again once on a fresh connection when the server went away under it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "mysql_url.hpp"

namespace g2a::storage_mysql {

class ConnectionPool {
 public:
  ConnectionPool(MysqlUrl url, std::size_t size);

  const MysqlUrl& url() const { return url_; }

  // Whether a call may run again after the connection was lost under it.
  enum class Replay {
    safe,           // idempotent: run it again
    unless_commit,  // only when it was lost before its COMMIT was sent (a transaction
                    // that did not commit was rolled back by the server)
  };

  // Runs fn(Connection&) on a pooled connection; returns what fn returns.
  template <class F>
  auto run(F&& fn, Replay replay = Replay::safe) {
    Lease lease(*this);
    for (int attempt = 0;; ++attempt) {
      // A failed connect is final: the server was just tried, so a call against a server
      // that is down costs one connect attempt.
      if (!lease->is_open()) lease->open();
      try {
        return fn(*lease);
      } catch (const DatabaseError& e) {
        if (!e.lost() || attempt > 0) throw;
        if (e.ambiguous() && replay == Replay::unless_commit) throw;
        lease->close();  // the next attempt reconnects
      }
    }
  }

 private:
  class Lease {
   public:
    explicit Lease(ConnectionPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection* operator->() { return conn_; }
    Connection& operator*() { return *conn_; }

   private:
    ConnectionPool& pool_;
    Connection* conn_;
  };

  MysqlUrl url_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<Connection*> idle_;  // mu_
};

}  // namespace g2a::storage_mysql
