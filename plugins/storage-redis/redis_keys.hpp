// Every key the plugin writes starts with "g2a:" (README.md lists them with their types);
// grok:* keys of the Pro service are only ever read, once, by the Pro import.
#pragma once

#include <string>
#include <string_view>

namespace g2a::storage_redis {

inline constexpr std::string_view kSchemaKey = "g2a:schema";            // string: version
inline constexpr std::string_view kCollectionsKey = "g2a:collections";  // set of names
inline constexpr std::string_view kProImportKey = "g2a:meta:pro_import";
inline constexpr std::string_view kProTokensKey = "grok:tokens";      // Pro, read only
inline constexpr std::string_view kProSettingsKey = "grok:settings";  // Pro, read only

// Call logs.
inline constexpr std::string_view kLogSeqKey = "g2a:log:seq";        // string counter
inline constexpr std::string_view kLogTimeKey = "g2a:log:time";      // zset, every record
inline constexpr std::string_view kLogFailedKey = "g2a:log:failed";  // zset, failed ones
inline constexpr std::string_view kLogRecordsKey = "g2a:log:rec";    // hash seq -> record
inline constexpr std::string_view kLogModelsKey = "g2a:log:models";  // hash model -> count

// The schema this build writes; a database at a newer one is refused.
inline constexpr int kSchemaVersion = 1;

// The hash of one document collection (names are [a-z0-9_-]{1,64}).
inline std::string doc_key(std::string_view collection) {
  return "g2a:doc:" + std::string(collection);
}
inline std::string claim_key(std::string_view name) {
  return "g2a:claim:" + std::string(name);
}
// Marks one log_append batch as applied, so resending it after a lost reply adds nothing.
inline std::string log_batch_key(std::string_view batch_id) {
  return "g2a:log:batch:" + std::string(batch_id);
}

}  // namespace g2a::storage_redis
