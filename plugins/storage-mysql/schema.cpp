#include "schema.hpp"

#include <fmt/format.h>
#include <mysqld_error.h>

#include <functional>

namespace g2a::storage_mysql {
namespace {

constexpr std::string_view kTableOptions =
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

// One table per known collection: a row per document.
std::string collection_table_ddl(std::string_view table, std::string_view extra_columns) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} ("
      "doc_key VARBINARY({}) NOT NULL PRIMARY KEY, "
      "doc LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
      "updated_ms BIGINT NOT NULL{}) {}",
      table, kMaxKeyBytes, extra_columns, kTableOptions);
}

// Migration 1: every table of the first schema.
std::vector<std::string> migration_1() {
  std::vector<std::string> ddl;
  for (const auto& t : collection_tables()) {
    std::string extra;
    if (t.collection == "tokens")
      extra = ", pool VARBINARY(16) NOT NULL DEFAULT '', KEY pool (pool)";
    else if (t.collection == "video_tasks")
      extra = ", status VARBINARY(64) NOT NULL DEFAULT '', KEY status (status)";
    ddl.push_back(collection_table_ddl(t.table, extra));
  }
  ddl.push_back(
      fmt::format("CREATE TABLE IF NOT EXISTS g2a_documents ("
                  "collection VARBINARY(64) NOT NULL, "
                  "doc_key VARBINARY({}) NOT NULL, "
                  "doc LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
                  "updated_ms BIGINT NOT NULL, "
                  "PRIMARY KEY (collection, doc_key)) {}",
                  kMaxKeyBytes - 64, kTableOptions));
  ddl.push_back(
      fmt::format("CREATE TABLE IF NOT EXISTS g2a_call_logs ("
                  "seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                  "id VARBINARY(255) NOT NULL DEFAULT '', "
                  "ts BIGINT NOT NULL, "
                  "sso_full BLOB NOT NULL, "
                  "model VARBINARY(512) NOT NULL DEFAULT '', "
                  "model_lc VARBINARY(512) NOT NULL DEFAULT '', "
                  "success TINYINT NOT NULL, "
                  "response_time DOUBLE NULL, "
                  "record LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
                  "KEY ts_seq (ts, seq), "
                  "KEY success_ts (success, ts, seq), "
                  "KEY model (model), "
                  "KEY id (id)) {}",
                  kTableOptions));
  ddl.push_back(
      fmt::format("CREATE TABLE IF NOT EXISTS g2a_claims ("
                  "name VARBINARY(255) NOT NULL PRIMARY KEY, "
                  "owner VARBINARY(255) NOT NULL, "
                  "expires_ms BIGINT NOT NULL) {}",
                  kTableOptions));
  ddl.push_back(
      fmt::format("CREATE TABLE IF NOT EXISTS g2a_meta ("
                  "name VARBINARY(255) NOT NULL PRIMARY KEY, "
                  "value LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, "
                  "updated_ms BIGINT NOT NULL) {}",
                  kTableOptions));
  return ddl;
}

}  // namespace

const std::vector<CollectionTable>& collection_tables() {
  static const std::vector<CollectionTable> tables = {
      {"proxies", "g2a_proxies"},   {"proxy_assignments", "g2a_proxy_assignments"},
      {"sessions", "g2a_sessions"}, {"settings", "g2a_settings"},
      {"tokens", "g2a_tokens"},     {"video_tasks", "g2a_video_tasks"},
  };
  return tables;
}

std::string_view table_of(std::string_view collection) {
  for (const auto& t : collection_tables())
    if (t.collection == collection) return t.table;
  return {};
}

void use_or_create_database(Connection& conn) {
  const MysqlUrl& url = conn.url();
  // The name was checked to be [A-Za-z0-9_$-], so backticks are enough.
  std::string use = fmt::format("USE `{}`", url.database);
  try {
    conn.exec(use, "select database");
    return;
  } catch (const DatabaseError& e) {
    if (e.code() != ER_BAD_DB_ERROR) throw;
  }
  conn.exec(fmt::format("CREATE DATABASE IF NOT EXISTS `{}` CHARACTER SET utf8mb4 COLLATE "
                        "utf8mb4_unicode_ci",
                        url.database),
            fmt::format("create database {}", url.database));
  conn.exec(use, "select database");
}

void with_schema_lock(Connection& conn, const std::string& database,
                      const std::function<void()>& fn) {
  std::string name = conn.quote(fmt::format("g2a_schema.{}", database));
  auto got = conn.query_value(fmt::format("SELECT GET_LOCK({}, 60)", name), "take schema lock");
  if (got != "1")
    throw DatabaseError(fmt::format("mysql {}: take schema lock: another instance held it for "
                                    "60 s",
                                    conn.url().endpoint()),
                        0, false);
  try {
    fn();
  } catch (...) {
    try {
      conn.exec(fmt::format("DO RELEASE_LOCK({})", name), "release schema lock");
    } catch (...) {
      // The server releases it with the connection.
    }
    throw;
  }
  conn.exec(fmt::format("DO RELEASE_LOCK({})", name), "release schema lock");
}

int migrate_schema(Connection& conn) {
  conn.exec(fmt::format("CREATE TABLE IF NOT EXISTS g2a_schema (version INT NOT NULL PRIMARY "
                        "KEY, applied_ms BIGINT NOT NULL) {}",
                        kTableOptions),
            "create g2a_schema");
  auto found = conn.query_value("SELECT MAX(version) FROM g2a_schema", "read schema version");
  int before = found ? std::stoi(*found) : 0;
  if (before > kSchemaVersion)
    throw g2a::Error(
        G2A_UNSUPPORTED,
        fmt::format("mysql {}/{}: the schema is version {}, newer than this "
                    "plugin's {}; upgrade the gateway",
                    conn.url().endpoint(), conn.url().database, before, kSchemaVersion));
  // Each migration is a list of statements; DDL commits by itself, so every statement is
  // written to be re-runnable (IF NOT EXISTS) in case an instance died half-way.
  using Migration = std::vector<std::string> (*)();
  static const Migration migrations[] = {&migration_1};
  for (int v = before + 1; v <= kSchemaVersion; ++v) {
    for (const std::string& sql : migrations[v - 1]())
      conn.exec(sql, fmt::format("schema migration {}", v));
    conn.exec(fmt::format("INSERT INTO g2a_schema (version, applied_ms) VALUES ({}, {})", v,
                          kServerNowMs),
              fmt::format("record schema version {}", v));
  }
  return before;
}

}  // namespace g2a::storage_mysql
