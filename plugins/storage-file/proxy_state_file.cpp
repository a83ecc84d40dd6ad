// data/proxy_state.json, the Pro proxy pool:
//   {"proxies": {"<url>": ProxyInfo}, "assignments": {"<sso>": "<url>"}}
// Collection "proxies" holds the ProxyInfo objects, "proxy_assignments" the urls (JSON strings).
#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "collection_name.hpp"
#include "data_file.hpp"
#include "json_writer.hpp"

namespace g2a::storage_file {
namespace {

constexpr std::string_view kProxiesMember = "proxies";
constexpr std::string_view kAssignmentsMember = "assignments";

class ProxyStateFile final : public DataFile {
 public:
  explicit ProxyStateFile(const std::filesystem::path& dir) : DataFile(dir / "proxy_state.json") {}

  std::vector<std::string_view> collections() const override {
    return {kProxies, kProxyAssignments};
  }

  void check(std::string_view collection, std::string_view,
             const boost::json::value& doc) const override {
    if (collection == kProxies && !doc.is_object())
      throw_bad_document(kProxies, "a proxy must be a JSON object");
    if (collection == kProxyAssignments && !doc.is_string())
      throw_bad_document(kProxyAssignments, "an assignment must be a JSON string (the proxy url)");
  }

  void load(const boost::json::value& root, Collections& into, std::vector<std::string>&) override {
    if (!root.is_object()) throw_bad_layout("expected a JSON object");
    Collection& proxies = into[std::string(kProxies)];
    Collection& assignments = into[std::string(kProxyAssignments)];
    extras_.clear();
    for (const auto& member : root.get_object()) {
      if (member.key() == kProxiesMember) {
        load_members(member.value(), kProxiesMember, proxies, boost::json::kind::object);
      } else if (member.key() == kAssignmentsMember) {
        load_members(member.value(), kAssignmentsMember, assignments, boost::json::kind::string);
      } else {
        extras_.emplace(member.key(), member.value());
      }
    }
  }

  std::string render(const Collections& from, int64_t) const override {
    boost::json::object root;
    root.emplace(kProxiesMember, collect(from, kProxies));
    root.emplace(kAssignmentsMember, collect(from, kProxyAssignments));
    for (const auto& member : extras_) root.emplace(member.key(), member.value());
    return to_pretty_json(root);
  }

 private:
  void load_members(const boost::json::value& v, std::string_view name, Collection& into,
                    boost::json::kind expected) const {
    if (!v.is_object()) throw_bad_layout(fmt::format("\"{}\" must be an object", name));
    for (const auto& item : v.get_object()) {
      if (item.value().kind() != expected)
        throw_bad_layout(fmt::format("\"{}\" has an entry of the wrong type", name));
      into.put(item.key(), to_compact_json(item.value()));
    }
  }

  static boost::json::object collect(const Collections& from, std::string_view collection) {
    boost::json::object out;
    if (const Collection* c = find_collection(from, collection))
      for (const auto& [key, json] : c->in_insertion_order())
        out.emplace(*key, parse_stored(*json));
    return out;
  }

  boost::json::object extras_;
};

}  // namespace

std::unique_ptr<DataFile> make_proxy_state_file(const std::filesystem::path& data_dir) {
  return std::make_unique<ProxyStateFile>(data_dir);
}

}  // namespace g2a::storage_file
