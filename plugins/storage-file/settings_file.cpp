// data/setting.overrides.json: settings changed through the admin API, one object per
// section ({"grok": {...}, "global": {...}}). The user's setting.toml is never rewritten;
// the host layers these over it.
#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "collection_name.hpp"
#include "data_file.hpp"
#include "json_writer.hpp"

namespace g2a::storage_file {
namespace {

class SettingsFile final : public DataFile {
 public:
  explicit SettingsFile(const std::filesystem::path& dir)
      : DataFile(dir / "setting.overrides.json") {}

  std::vector<std::string_view> collections() const override { return {kSettings}; }

  void check(std::string_view, std::string_view, const boost::json::value& doc) const override {
    if (!doc.is_object()) throw_bad_document(kSettings, "a settings section must be a JSON object");
  }

  void load(const boost::json::value& root, Collections& into, std::vector<std::string>&) override {
    if (!root.is_object()) throw_bad_layout("expected a JSON object of settings sections");
    Collection& sections = into[std::string(kSettings)];
    for (const auto& member : root.get_object()) {
      if (!member.value().is_object())
        throw_bad_layout(
            fmt::format("section \"{}\" is not an object", std::string_view(member.key())));
      sections.put(member.key(), to_compact_json(member.value()));
    }
  }

  std::string render(const Collections& from, int64_t) const override {
    boost::json::object root;
    if (const Collection* sections = find_collection(from, kSettings))
      for (const auto& [key, json] : sections->in_insertion_order())
        root.emplace(*key, parse_stored(*json));
    return to_pretty_json(root);
  }
};

}  // namespace

std::unique_ptr<DataFile> make_settings_file(const std::filesystem::path& data_dir) {
  return std::make_unique<SettingsFile>(data_dir);
}

}  // namespace g2a::storage_file
