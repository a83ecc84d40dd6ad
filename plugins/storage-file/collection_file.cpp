// data/store/<collection>.json for every collection without a Pro file of its own
// ("sessions", ...): {"<key>": document} in key order.
#include <boost/json/object.hpp>

#include "data_file.hpp"
#include "json_writer.hpp"

namespace g2a::storage_file {
namespace {

class CollectionFile final : public DataFile {
 public:
  CollectionFile(const std::filesystem::path& dir, std::string_view collection)
      : DataFile(dir / "store" / (std::string(collection) + ".json")), name_(collection) {}

  std::vector<std::string_view> collections() const override { return {name_}; }

  void check(std::string_view, std::string_view, const boost::json::value&) const override {}

  void load(const boost::json::value& root, Collections& into, std::vector<std::string>&) override {
    if (!root.is_object()) throw_bad_layout("expected a JSON object of documents");
    Collection& docs = into[name_];
    for (const auto& member : root.get_object())
      docs.put(member.key(), to_compact_json(member.value()));
  }

  std::string render(const Collections& from, int64_t) const override {
    boost::json::object root;
    if (const Collection* docs = find_collection(from, name_))
      for (const auto& [key, json] : docs->in_key_order()) root.emplace(*key, parse_stored(*json));
    return to_pretty_json(root);
  }

 private:
  std::string name_;
};

}  // namespace

std::unique_ptr<DataFile> make_collection_file(const std::filesystem::path& data_dir,
                                               std::string_view collection) {
  return std::make_unique<CollectionFile>(data_dir, collection);
}

}  // namespace g2a::storage_file
