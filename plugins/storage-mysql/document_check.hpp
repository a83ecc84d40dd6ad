// What storage-file accepts as a document is what every backend accepts: the same
// collection names, non-empty keys, valid JSON stored compact, and the Pro layouts' rules
// (a token key names its pool, a settings section is an object, ...).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::storage_file {
class DataFile;
}

namespace g2a::storage_mysql {

struct CheckedWrite {
  std::string collection, key;
  std::optional<std::string> json;  // compact; nullopt = delete
  std::string extracted;            // the table's extracted column (token pool, task status)
};

class DocumentChecker {
 public:
  DocumentChecker();
  ~DocumentChecker();

  // Throws g2a::Error(G2A_BAD_ARGUMENT) for a bad collection name or key.
  void check_name(std::string_view collection, std::string_view key = "x") const;
  // Throws G2A_BAD_ARGUMENT / G2A_PARSE_FAILURE naming the collection (never the key).
  CheckedWrite check(std::string_view collection, std::string_view key,
                     const std::string_view* json) const;

 private:
  std::vector<std::unique_ptr<storage_file::DataFile>> layouts_;
};

}  // namespace g2a::storage_mysql
