#include "connection.hpp"

#include <errmsg.h>
#include <fmt/format.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <mutex>

namespace g2a::storage_mysql {
namespace {

// mysql_library_init is not thread-safe: once per process, before any connection.
void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

}  // namespace

bool is_connection_lost(unsigned code) {
  switch (code) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_HANDSHAKE_ERR:
    case CR_SERVER_LOST_EXTENDED:
    case CR_COMMANDS_OUT_OF_SYNC:
    case ER_CONNECTION_KILLED:
    case ER_SERVER_SHUTDOWN:
    case ER_QUERY_INTERRUPTED:
      return true;
    default:
      return false;
  }
}

Connection::~Connection() {
  close();
}

void Connection::close() {
  if (mysql_) mysql_close(mysql_);
  mysql_ = nullptr;
}

void Connection::open(bool with_database) {
  init_library_once();
  close();
  mysql_ = mysql_init(nullptr);
  if (!mysql_)
    throw DatabaseError(fmt::format("mysql {}: connect: out of memory", url_.endpoint()), 0, true);
  unsigned protocol = MYSQL_PROTOCOL_TCP;  // "localhost" would otherwise mean the socket
  unsigned connect_timeout = timeouts_.connect_s, rw_timeout = timeouts_.read_write_s;
  my_bool no_reconnect = 0;  // reconnecting is ours: the library's would lose session state
  mysql_optionsv(mysql_, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
  mysql_optionsv(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
  mysql_optionsv(mysql_, MYSQL_OPT_RECONNECT, &no_reconnect);
  mysql_optionsv(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (url_.ssl) {
    my_bool enforce = 1;
    mysql_optionsv(mysql_, MYSQL_OPT_SSL_ENFORCE, &enforce);
  }
  const char* user = url_.user.empty() ? nullptr : url_.user.c_str();
  const char* db = with_database ? url_.database.c_str() : nullptr;
  if (!mysql_real_connect(mysql_, url_.host.c_str(), user, url_.password.c_str(), db, url_.port,
                          nullptr, CLIENT_FOUND_ROWS)) {
    unsigned code = mysql_errno(mysql_);
    std::string message =
        fmt::format("mysql {}: connect{}: {} ({})", url_.endpoint(),
                    with_database ? fmt::format(" to database {}", url_.database) : "",
                    mysql_error(mysql_), code);
    close();
    // Refused credentials or an unknown database are not a lost connection, but the
    // next call should still try to connect again.
    throw DatabaseError(message, code, true);
  }
  exec("SET SESSION time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
       "session setup");
}

void Connection::fail(std::string_view step, bool during_commit) {
  unsigned code = mysql_ ? mysql_errno(mysql_) : CR_SERVER_GONE_ERROR;
  std::string text = mysql_ ? mysql_error(mysql_) : "not connected";
  bool lost = is_connection_lost(code);
  if (lost) close();
  throw DatabaseError(fmt::format("mysql {}: {}: {} ({})", url_.endpoint(), step, text, code), code,
                      lost, lost && during_commit);
}

uint64_t Connection::exec(std::string_view sql, std::string_view step) {
  if (!mysql_) fail(step);
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(step);
  // A statement that unexpectedly returns rows: drain them so the connection stays usable.
  if (MYSQL_RES* res = mysql_store_result(mysql_)) {
    mysql_free_result(res);
    return 0;
  }
  if (mysql_field_count(mysql_) != 0) fail(step);
  return mysql_affected_rows(mysql_);
}

std::vector<Row> Connection::query(std::string_view sql, std::string_view step) {
  if (!mysql_) fail(step);
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(step);
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (!res) {
    if (mysql_field_count(mysql_) != 0) fail(step);
    return {};
  }
  std::vector<Row> rows;
  rows.reserve(mysql_num_rows(res));
  unsigned columns = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    Row out(columns);
    for (unsigned i = 0; i < columns; ++i)
      if (row[i]) out[i].emplace(row[i], lengths[i]);
    rows.push_back(std::move(out));
  }
  mysql_free_result(res);
  return rows;
}

std::optional<std::string> Connection::query_value(std::string_view sql, std::string_view step) {
  std::vector<Row> rows = query(sql, step);
  if (rows.empty() || rows[0].empty()) return std::nullopt;
  return rows[0][0];
}

std::string Connection::quote(std::string_view text) {
  if (!mysql_) fail("escape");
  std::string out(text.size() * 2 + 3, '\0');
  out[0] = '\'';
  unsigned long n = mysql_real_escape_string(mysql_, out.data() + 1, text.data(), text.size());
  if (n == static_cast<unsigned long>(-1)) fail("escape");
  out.resize(n + 1);
  out.push_back('\'');
  return out;
}

void Connection::commit(std::string_view step) {
  if (!mysql_) fail(step);
  if (mysql_real_query(mysql_, "COMMIT", 6) != 0) fail(step, true);
}

void Connection::rollback_quietly() {
  if (mysql_ && mysql_real_query(mysql_, "ROLLBACK", 8) != 0) close();
}

}  // namespace g2a::storage_mysql
