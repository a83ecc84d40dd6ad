// Document collections in Redis: one hash per collection (g2a:doc:<collection>, field =
// key, value = the JSON) and the set g2a:collections of the non-empty ones. Documents are
// checked with storage-file's rules (collection names, the Pro collections' shapes) and
// stored compact, so both backends accept and return the same documents.
#pragma once

#include <grok2api/plugin.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connection_pool.hpp"

namespace g2a::storage_redis {

class DocumentRules;

class RedisDocuments {
 public:
  explicit RedisDocuments(ConnectionPool& pool);
  ~RedisDocuments();

  std::optional<std::string> get(std::string_view collection, std::string_view key);
  // Keys starting with prefix, in byte order.
  std::vector<std::pair<std::string, std::string>> list(std::string_view collection,
                                                        std::string_view prefix);
  // All or nothing: one script applies every write.
  void write_batch(const std::vector<DocWrite>& writes);
  std::vector<std::string> collections();

  // For the Pro import: adds documents whose key is absent; `only_if_empty` collections are
  // written only when they hold nothing yet. Returns how many were added, per collection,
  // in the order given. Sets `marker` (with `marker_value`) in the same script; does nothing
  // and returns nullopt when the marker is already set.
  struct Import {
    std::string collection;
    bool only_if_empty = false;
    std::vector<std::pair<std::string, std::string>> docs;
  };
  std::optional<std::vector<int64_t>> import_once(const std::vector<Import>& imports,
                                                  std::string_view marker,
                                                  std::string_view marker_value);

 private:
  ConnectionPool& pool_;
  std::unique_ptr<DocumentRules> rules_;
};

}  // namespace g2a::storage_redis
