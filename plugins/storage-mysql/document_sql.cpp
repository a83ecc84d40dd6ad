#include "document_sql.hpp"

#include <fmt/format.h>

#include "connection.hpp"
#include "schema.hpp"
#include "sql_text.hpp"

namespace g2a::storage_mysql {
namespace {

// The column a collection's table extracts from its documents (see CheckedWrite).
std::string_view extracted_column(std::string_view collection) {
  if (collection == "tokens") return "pool";
  if (collection == "video_tasks") return "status";
  return {};
}

}  // namespace

DocTarget target_of(std::string_view collection) {
  std::string_view own = table_of(collection);
  if (!own.empty()) return {std::string(own), {}};
  return {"g2a_documents", fmt::format("collection = {} AND ", hex_literal(collection))};
}

std::string document_write_sql(Connection& conn, const CheckedWrite& w, bool keep_existing) {
  DocTarget t = target_of(w.collection);
  if (!w.json)
    return fmt::format("DELETE FROM {} WHERE {}doc_key = {}", t.table, t.collection_cond,
                       hex_literal(w.key));
  std::string columns = "doc_key, doc, updated_ms";
  std::string values =
      fmt::format("{}, {}, {}", hex_literal(w.key), conn.quote(*w.json), kServerNowMs);
  std::string update = "doc = VALUES(doc), updated_ms = VALUES(updated_ms)";
  if (t.collection_cond.empty()) {
    if (std::string_view col = extracted_column(w.collection); !col.empty()) {
      columns += fmt::format(", {}", col);
      values += fmt::format(", {}", hex_literal(w.extracted));
      update += fmt::format(", {0} = VALUES({0})", col);
    }
  } else {
    columns = "collection, " + columns;
    values = fmt::format("{}, {}", hex_literal(w.collection), values);
  }
  if (keep_existing)
    return fmt::format("INSERT IGNORE INTO {} ({}) VALUES ({})", t.table, columns, values);
  return fmt::format("INSERT INTO {} ({}) VALUES ({}) ON DUPLICATE KEY UPDATE {}", t.table, columns,
                     values, update);
}

}  // namespace g2a::storage_mysql
