// One client connection to the MySQL/MariaDB server (libmariadb), with every failure turned
// into a DatabaseError that names the server and the step that failed.
#pragma once

#include <cstdint>
#include <grok2api/plugin.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mysql_url.hpp"

struct st_mysql;

namespace g2a::storage_mysql {

// G2A_IO_ERROR. lost(): the connection is unusable (the server went away, restarted, or
// cannot be reached) and must be reopened. ambiguous(): it was lost while a COMMIT was on
// the way, so the transaction may or may not have been applied.
class DatabaseError : public g2a::Error {
 public:
  DatabaseError(const std::string& message, unsigned code, bool lost, bool ambiguous = false)
      : g2a::Error(G2A_IO_ERROR, message), code_(code), lost_(lost), ambiguous_(ambiguous) {}
  unsigned code() const { return code_; }
  bool lost() const { return lost_; }
  bool ambiguous() const { return ambiguous_; }

 private:
  unsigned code_;
  bool lost_, ambiguous_;
};

using Row = std::vector<std::optional<std::string>>;  // nullopt = SQL NULL

// How long a connection waits for the server (libmariadb's connect and read/write
// timeouts): a statement that takes longer, or a server that stops answering, fails the
// call with a lost connection.
struct Timeouts {
  unsigned connect_s = 5;
  unsigned read_write_s = 30;
};

class Connection {
 public:
  explicit Connection(const MysqlUrl& url, Timeouts timeouts = {})
      : url_(url), timeouts_(timeouts) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects over TCP with utf8mb4, UTC and a strict SQL mode. with_database = false
  // connects without selecting the database (to create it first).
  void open(bool with_database = true);
  void close();
  bool is_open() const { return mysql_ != nullptr; }
  const MysqlUrl& url() const { return url_; }

  // A statement without a result set; returns the affected (with CLIENT_FOUND_ROWS:
  // matched) rows. `step` names what it does, for messages.
  uint64_t exec(std::string_view sql, std::string_view step);
  // A query; every row of its result.
  std::vector<Row> query(std::string_view sql, std::string_view step);
  // The first column of the first row, or nullopt when there is no row or it is NULL.
  std::optional<std::string> query_value(std::string_view sql, std::string_view step);

  // A string literal ('...') escaped for this connection's character set and SQL mode.
  std::string quote(std::string_view text);

  // Runs fn inside START TRANSACTION ... COMMIT; rolls back when fn throws. A connection
  // lost during the COMMIT throws an ambiguous DatabaseError.
  template <class F>
  void transaction(std::string_view step, F&& fn) {
    exec("START TRANSACTION", step);
    try {
      fn();
    } catch (...) {
      rollback_quietly();
      throw;
    }
    commit(step);
  }

 private:
  [[noreturn]] void fail(std::string_view step, bool during_commit = false);
  void commit(std::string_view step);
  void rollback_quietly();

  const MysqlUrl& url_;
  Timeouts timeouts_;
  st_mysql* mysql_ = nullptr;
};

// Whether a client or server error code means the connection is gone.
bool is_connection_lost(unsigned code);

}  // namespace g2a::storage_mysql
