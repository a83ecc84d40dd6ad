#include "collection.hpp"

#include <algorithm>

namespace g2a::storage_file {

const std::string* Collection::find(std::string_view key) const {
  auto it = docs_.find(key);
  return it == docs_.end() ? nullptr : &it->second.json;
}

void Collection::put(std::string_view key, std::string json) {
  auto it = docs_.find(key);
  if (it != docs_.end()) {
    it->second.json = std::move(json);
    return;
  }
  docs_.emplace(std::string(key), Entry{std::move(json), next_seq_++});
}

bool Collection::erase(std::string_view key) {
  auto it = docs_.find(key);
  if (it == docs_.end()) return false;
  docs_.erase(it);
  return true;
}

std::vector<std::pair<std::string, std::string>> Collection::with_prefix(
    std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = docs_.lower_bound(prefix); it != docs_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.emplace_back(it->first, it->second.json);
  }
  return out;
}

std::vector<Collection::Item> Collection::in_key_order() const {
  std::vector<Item> out;
  out.reserve(docs_.size());
  for (const auto& [key, entry] : docs_) out.emplace_back(&key, &entry.json);
  return out;
}

std::vector<Collection::Item> Collection::in_insertion_order() const {
  std::vector<std::pair<uint64_t, Item>> ordered;
  ordered.reserve(docs_.size());
  for (const auto& [key, entry] : docs_) ordered.push_back({entry.seq, Item{&key, &entry.json}});
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Item> out;
  out.reserve(ordered.size());
  for (auto& [seq, item] : ordered) out.push_back(item);
  return out;
}

}  // namespace g2a::storage_file
