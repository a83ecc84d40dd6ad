#include "pro_import.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>

#include "collection_name.hpp"
#include "data_file.hpp"
#include "pro_blob.hpp"
#include "redis_keys.hpp"

namespace g2a::storage_redis {
namespace {

struct ProBlobs {
  std::optional<std::string> tokens, settings;
};

ProBlobs read_pro_keys(ConnectionPool& pool) {
  return pool.run("GET grok:tokens", Retry::kOnce, [&](RedisConnection& c) -> ProBlobs {
    Reply marker = c.call({"EXISTS", kProImportKey}, "EXISTS g2a:meta:pro_import");
    if (reply_integer(c, marker.get(), "EXISTS") == 1) return {};
    ProBlobs out;
    Reply tokens = c.call({"GET", kProTokensKey}, "GET grok:tokens");
    out.tokens = reply_string(c, tokens.get(), "GET grok:tokens");
    Reply settings = c.call({"GET", kProSettingsKey}, "GET grok:settings");
    out.settings = reply_string(c, settings.get(), "GET grok:settings");
    return out;
  });
}

// The documents storage-file's loader makes of one Pro blob; empty (with a warning) when the
// blob cannot be read.
storage_file::KeyedDocs convert(const std::optional<std::string>& blob, std::string_view redis_key,
                                std::unique_ptr<storage_file::DataFile> loader,
                                std::string_view collection, const g2a::Host& host) {
  if (!blob) return {};
  try {
    std::vector<std::string> warnings;
    storage_file::KeyedDocs docs =
        storage_file::load_pro_blob(*blob, redis_key, *loader, collection, warnings);
    for (const auto& w : warnings) host.warn(fmt::format("{}: {}", redis_key, w));
    return docs;
  } catch (const std::exception& e) {
    host.warn(fmt::format("not importing the Pro key {}: {}", redis_key, e.what()));
    return {};
  }
}

}  // namespace

void import_pro_keys_once(ConnectionPool& pool, RedisDocuments& docs, const g2a::Host& host) {
  ProBlobs blobs = read_pro_keys(pool);
  if (!blobs.tokens && !blobs.settings) return;  // done before, or nothing to import

  const std::filesystem::path unused;
  std::vector<RedisDocuments::Import> imports(2);
  imports[0].collection = std::string(storage_file::kTokens);
  imports[0].docs = convert(blobs.tokens, kProTokensKey, storage_file::make_token_file(unused),
                            storage_file::kTokens, host);
  imports[1].collection = std::string(storage_file::kSettings);
  imports[1].only_if_empty = true;
  imports[1].docs =
      convert(blobs.settings, kProSettingsKey, storage_file::make_settings_file(unused),
              storage_file::kSettings, host);

  boost::json::object marker;
  marker["imported_ms"] = host.now_ms();
  marker["tokens"] = imports[0].docs.size();
  marker["settings_sections"] = imports[1].docs.size();
  auto added = docs.import_once(imports, kProImportKey, boost::json::serialize(marker));
  if (!added) return;  // another instance imported them meanwhile
  host.info(fmt::format(
      "imported the Pro service's keys once: {} of {} token(s) from {} ({} ssoNormal, {} "
      "ssoSuper, {} ssoHeavy; tokens already present are kept), {} settings section(s) from {}"
      "{}; marked done in {}",
      (*added)[0], imports[0].docs.size(), kProTokensKey,
      storage_file::count_with_prefix(imports[0].docs, "ssoNormal/"),
      storage_file::count_with_prefix(imports[0].docs, "ssoSuper/"),
      storage_file::count_with_prefix(imports[0].docs, "ssoHeavy/"), (*added)[1], kProSettingsKey,
      (*added)[1] == 0 && !imports[1].docs.empty() ? " (ours were not empty: kept)" : "",
      kProImportKey));
}

}  // namespace g2a::storage_redis
