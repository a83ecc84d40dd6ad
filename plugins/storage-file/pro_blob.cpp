#include "pro_blob.hpp"

#include "json_parse.hpp"

namespace g2a::storage_file {

KeyedDocs load_pro_blob(std::string_view blob, std::string_view what, DataFile& loader,
                        std::string_view collection, std::vector<std::string>& warnings) {
  boost::json::value root = parse_json(blob, what);
  if (root.is_string()) root = parse_json(root.get_string(), what);
  Collections loaded;
  loader.load(root, loaded, warnings);
  KeyedDocs docs;
  if (const Collection* c = find_collection(loaded, collection))
    for (const auto& [key, json] : c->in_key_order()) docs.emplace_back(*key, *json);
  return docs;
}

std::size_t count_with_prefix(const KeyedDocs& docs, std::string_view prefix) {
  std::size_t n = 0;
  for (const auto& [key, json] : docs) n += key.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace g2a::storage_file
