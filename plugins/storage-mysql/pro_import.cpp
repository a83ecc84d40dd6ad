#include "pro_import.hpp"

#include <fmt/format.h>

#include <data_file.hpp>
#include <pro_blob.hpp>

#include "connection.hpp"
#include "document_check.hpp"
#include "document_sql.hpp"
#include "schema.hpp"

namespace g2a::storage_mysql {
namespace {

constexpr std::string_view kMarker = "pro_import";

// The documents of `collection` that storage-file's `loader` makes of the latest row's data of
// a Pro table; none when the table is empty.
storage_file::KeyedDocs latest_docs(Connection& conn, std::string_view table,
                                    std::unique_ptr<storage_file::DataFile> loader,
                                    std::string_view collection,
                                    std::vector<std::string>& warnings) {
  auto data = conn.query_value(fmt::format("SELECT data FROM {} ORDER BY id DESC LIMIT 1", table),
                               fmt::format("read {}", table));
  if (!data) return {};
  return storage_file::load_pro_blob(*data, fmt::format("{}.data", table), *loader, collection,
                                     warnings);
}

// Writes `docs` into `collection`, keeping documents we already have. Returns how many were
// written.
std::size_t write_docs(Connection& conn, const DocumentChecker& checker,
                       const storage_file::KeyedDocs& docs, std::string_view collection) {
  std::size_t written = 0;
  for (const auto& [key, json] : docs) {
    std::string_view text = json;
    CheckedWrite w = checker.check(collection, key, &text);
    written += conn.exec(document_write_sql(conn, w, true), fmt::format("import {}", collection));
  }
  return written;
}

}  // namespace

ProImportSummary import_pro_tables(Connection& conn, const DocumentChecker& checker) {
  ProImportSummary out;
  if (conn.query_value(fmt::format("SELECT 1 FROM g2a_meta WHERE name = {}", conn.quote(kMarker)),
                       "read the Pro import marker"))
    return out;
  std::vector<Row> tables = conn.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND "
      "table_name IN ('grok_tokens', 'grok_settings')",
      "look for the Pro tables");
  bool has_tokens = false, has_settings = false;
  for (const Row& t : tables) {
    has_tokens |= t[0] == "grok_tokens";
    has_settings |= t[0] == "grok_settings";
  }
  if (!has_tokens && !has_settings) return out;

  std::size_t tokens = 0, normal = 0, super = 0, sections = 0;
  bool settings_skipped = false;
  try {
    conn.transaction("Pro import", [&] {
      if (has_tokens) {
        std::vector<std::string> warnings;
        // storage-file's token.json reader: the same pools, keys and legacy handling.
        storage_file::KeyedDocs docs =
            latest_docs(conn, "grok_tokens", storage_file::make_token_file({}), "tokens", warnings);
        for (auto& w : warnings) out.warnings.push_back("grok_tokens: " + w);
        normal = storage_file::count_with_prefix(docs, "ssoNormal/");
        super = storage_file::count_with_prefix(docs, "ssoSuper/");
        tokens = write_docs(conn, checker, docs, "tokens");
      }
      if (has_settings) {
        if (conn.query_value("SELECT 1 FROM g2a_settings LIMIT 1", "look for settings")) {
          settings_skipped = true;
        } else {
          std::vector<std::string> ignored;
          storage_file::KeyedDocs docs = latest_docs(
              conn, "grok_settings", storage_file::make_settings_file({}), "settings", ignored);
          sections = write_docs(conn, checker, docs, "settings");
        }
      }
      std::string summary =
          fmt::format(R"({{"tokens":{},"settings_sections":{}}})", tokens, sections);
      conn.exec(fmt::format("INSERT INTO g2a_meta (name, value, updated_ms) VALUES ({}, {}, {})",
                            conn.quote(kMarker), conn.quote(summary), kServerNowMs),
                "write the Pro import marker");
    });
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    // A Pro row we cannot read: start anyway, say why, and try again at the next start.
    out.warnings.push_back(fmt::format("Pro import skipped: {}", e.what()));
    return out;
  }
  out.infos.push_back(fmt::format(
      "imported from the Pro tables: {} new token(s) from grok_tokens ({} normal, {} super in "
      "its latest row), {} settings section(s) from grok_settings{}",
      tokens, normal, super, sections,
      settings_skipped ? " (skipped: settings already present)" : ""));
  return out;
}

}  // namespace g2a::storage_mysql
