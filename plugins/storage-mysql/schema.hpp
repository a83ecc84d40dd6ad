// The plugin's tables (all named g2a_*), their versions and migrations. See README.md.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"

namespace g2a::storage_mysql {

// The schema version this build creates and understands.
inline constexpr int kSchemaVersion = 1;

// The longest document key the tables hold (VARBINARY primary keys stay under InnoDB's
// 3072-byte index limit).
inline constexpr std::size_t kMaxKeyBytes = 3000;

// A collection with a table of its own, and the column extracted from its documents.
struct CollectionTable {
  std::string_view collection;
  std::string_view table;
};

// The known collections, each with its own table.
const std::vector<CollectionTable>& collection_tables();

// The own table of `collection`, or empty when it lives in g2a_documents.
std::string_view table_of(std::string_view collection);

// Expression for "now" on the server's clock, in ms since the epoch (the session runs
// in UTC).
inline constexpr std::string_view kServerNowMs = "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)";

// Selects the URL's database, creating it (utf8mb4) when it does not exist.
void use_or_create_database(Connection& conn);

// Runs fn while holding the server-wide named lock of this database's schema, so that
// instances starting together migrate one after the other.
void with_schema_lock(Connection& conn, const std::string& database,
                      const std::function<void()>& fn);

// Creates or upgrades the tables to kSchemaVersion (the lock held). Returns the version
// found before ("0" for a new database). Throws g2a::Error(G2A_UNSUPPORTED) when the
// database was made by a newer plugin.
int migrate_schema(Connection& conn);

}  // namespace g2a::storage_mysql
