// The SQL that reads and writes documents: a known collection's own table, or
// g2a_documents for any other collection.
#pragma once

#include <string>
#include <string_view>

#include "document_check.hpp"

namespace g2a::storage_mysql {

class Connection;

// Where a collection's documents live: the table, and the condition that selects the
// collection in it ("collection = X'..' AND " in g2a_documents, "" in an own table).
struct DocTarget {
  std::string table;
  std::string collection_cond;
};
DocTarget target_of(std::string_view collection);

// The statement that applies a checked write. keep_existing: insert only when the key is
// absent (the Pro import never overwrites ours).
std::string document_write_sql(Connection& conn, const CheckedWrite& w, bool keep_existing = false);

}  // namespace g2a::storage_mysql
