// The documents of one collection, in memory. Listing is in key order (the storage
// contract); Pro files are written in insertion order (what the Python service kept).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::storage_file {

class Collection {
 public:
  const std::string* find(std::string_view key) const;
  // Replacing an existing document keeps its place in insertion order.
  void put(std::string_view key, std::string json);
  // Returns whether the key was present.
  bool erase(std::string_view key);
  std::size_t size() const { return docs_.size(); }
  bool empty() const { return docs_.empty(); }

  // Copies of (key, document) for keys starting with prefix, in key order.
  std::vector<std::pair<std::string, std::string>> with_prefix(std::string_view prefix) const;

  using Item = std::pair<const std::string*, const std::string*>;  // key, document
  std::vector<Item> in_key_order() const;
  std::vector<Item> in_insertion_order() const;

 private:
  struct Entry {
    std::string json;
    uint64_t seq;  // insertion position
  };
  std::map<std::string, Entry, std::less<>> docs_;
  uint64_t next_seq_ = 0;
};

// Every collection by name.
using Collections = std::map<std::string, Collection, std::less<>>;

}  // namespace g2a::storage_file
