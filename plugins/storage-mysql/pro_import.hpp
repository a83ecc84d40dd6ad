// The one-time import of the Python Pro service's MySQL tables: grok_tokens (its latest
// row's data, token.json's shape) into the tokens collection, and grok_settings into the
// settings collection when that is empty. Done once per database: the marker
// g2a_meta.pro_import records it. The grok_* tables are only read.
#pragma once

#include <string>
#include <vector>

namespace g2a::storage_mysql {

class Connection;
class DocumentChecker;

struct ProImportSummary {
  std::vector<std::string> infos;     // what was imported, for host.info
  std::vector<std::string> warnings;  // what could not be, for host.warn
};

// Runs under the schema lock, after the migrations.
ProImportSummary import_pro_tables(Connection& conn, const DocumentChecker& checker);

}  // namespace g2a::storage_mysql
