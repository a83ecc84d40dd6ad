// data/token.json, the Pro token pools:
//   {"ssoNormal": {"<sso>": {...}}, "ssoSuper": {...}[, "ssoHeavy": {...}]}
// Collection "tokens" keys are "<pool>/<sso>". A legacy top-level "sso" pool is read as
// ssoNormal; other top-level members are kept and written back untouched.
#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "collection_name.hpp"
#include "data_file.hpp"
#include "json_writer.hpp"

namespace g2a::storage_file {
namespace {

constexpr std::string_view kNormal = "ssoNormal";
constexpr std::string_view kSuper = "ssoSuper";
constexpr std::string_view kHeavy = "ssoHeavy";  // ours; older readers ignore it
constexpr std::string_view kLegacy = "sso";

// Tokens are credentials: name them by their first 10 characters only.
std::string mask(std::string_view token) {
  return fmt::format("{}****", token.substr(0, 10));
}

// The pool part of a "<pool>/<sso>" key, or empty when the key has no valid pool.
std::string_view pool_of(std::string_view key) {
  for (std::string_view pool : {kNormal, kSuper, kHeavy})
    if (key.size() > pool.size() + 1 && key.substr(0, pool.size()) == pool &&
        key[pool.size()] == '/')
      return pool;
  return {};
}

class TokenFile final : public DataFile {
 public:
  explicit TokenFile(const std::filesystem::path& dir) : DataFile(dir / "token.json") {}

  std::vector<std::string_view> collections() const override { return {kTokens}; }

  void check(std::string_view, std::string_view key, const boost::json::value& doc) const override {
    if (pool_of(key).empty())
      throw_bad_document(kTokens,
                         "key must be \"ssoNormal/<token>\", \"ssoSuper/<token>\" or "
                         "\"ssoHeavy/<token>\"");
    if (!doc.is_object()) throw_bad_document(kTokens, "a token must be a JSON object");
  }

  void load(const boost::json::value& root, Collections& into,
            std::vector<std::string>& warnings) override {
    if (!root.is_object()) throw_bad_layout("expected a JSON object of token pools");
    Collection& tokens = into[std::string(kTokens)];
    const boost::json::object* legacy = nullptr;
    extras_.clear();
    for (const auto& member : root.get_object()) {
      std::string_view name = member.key();
      if (name == kNormal || name == kSuper || name == kHeavy) {
        load_pool(name, name, member.value(), tokens);
      } else if (name == kLegacy) {
        if (!member.value().is_object()) throw_bad_layout("\"sso\" must be an object of tokens");
        legacy = &member.value().get_object();
      } else {
        extras_.emplace(name, member.value());
      }
    }
    if (legacy) merge_legacy(*legacy, tokens, warnings);
  }

  std::string render(const Collections& from, int64_t) const override {
    boost::json::object normal, super, heavy;
    if (const Collection* tokens = find_collection(from, kTokens)) {
      for (const auto& [key, json] : tokens->in_insertion_order()) {
        std::string_view pool = pool_of(*key);
        boost::json::object& target = pool == kNormal ? normal : pool == kSuper ? super : heavy;
        target.emplace(std::string_view(*key).substr(pool.size() + 1), parse_stored(*json));
      }
    }
    boost::json::object root;
    root.emplace(kNormal, std::move(normal));
    root.emplace(kSuper, std::move(super));
    // Written only when used, so a Pro file without heavy tokens re-saves byte for byte.
    if (!heavy.empty()) root.emplace(kHeavy, std::move(heavy));
    for (const auto& member : extras_) root.emplace(member.key(), member.value());
    return to_pretty_json(root);
  }

 private:
  void load_pool(std::string_view file_key, std::string_view pool, const boost::json::value& v,
                 Collection& tokens) const {
    if (!v.is_object())
      throw_bad_layout(fmt::format("\"{}\" must be an object of tokens", file_key));
    for (const auto& token : v.get_object()) {
      if (!token.value().is_object())
        throw_bad_layout(
            fmt::format("token {} in \"{}\" is not an object", mask(token.key()), file_key));
      tokens.put(fmt::format("{}/{}", pool, std::string_view(token.key())),
                 to_compact_json(token.value()));
    }
  }

  // Legacy tokens join ssoNormal; where both pools name a token, ssoNormal is the newer record.
  void merge_legacy(const boost::json::object& legacy, Collection& tokens,
                    std::vector<std::string>& warnings) const {
    std::size_t merged = 0;
    for (const auto& token : legacy) {
      if (!token.value().is_object())
        throw_bad_layout(fmt::format("token {} in \"sso\" is not an object", mask(token.key())));
      std::string key = fmt::format("{}/{}", kNormal, std::string_view(token.key()));
      if (tokens.find(key)) {
        warnings.push_back(
            fmt::format("{}: legacy token {} is also in ssoNormal; keeping ssoNormal",
                        path().string(), mask(token.key())));
        continue;
      }
      tokens.put(key, to_compact_json(token.value()));
      ++merged;
    }
    warnings.push_back(
        fmt::format("{}: merged {} token(s) of the legacy \"sso\" pool into ssoNormal",
                    path().string(), merged));
  }

  boost::json::object extras_;  // unknown top-level members, written back as found
};

}  // namespace

std::unique_ptr<DataFile> make_token_file(const std::filesystem::path& data_dir) {
  return std::make_unique<TokenFile>(data_dir);
}

}  // namespace g2a::storage_file
