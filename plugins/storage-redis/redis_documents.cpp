#include "redis_documents.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <filesystem>
#include <map>

#include "collection_name.hpp"
#include "data_file.hpp"
#include "json_parse.hpp"
#include "json_writer.hpp"
#include "lua_script.hpp"
#include "redis_keys.hpp"

namespace g2a::storage_redis {

// storage-file's document checks: its data files know the Pro collections' shapes (the
// path they would write to is never used here).
class DocumentRules {
 public:
  DocumentRules() {
    const std::filesystem::path unused;
    files_.push_back(storage_file::make_token_file(unused));
    files_.push_back(storage_file::make_proxy_state_file(unused));
    files_.push_back(storage_file::make_video_task_file(unused));
    files_.push_back(storage_file::make_settings_file(unused));
    for (const auto& f : files_)
      for (std::string_view c : f->collections()) owner_.emplace(std::string(c), f.get());
  }

  // The document as stored (compact JSON). Throws like storage-file.
  std::string checked(std::string_view collection, std::string_view key,
                      std::string_view json) const {
    check_target(collection, key);
    boost::json::value doc;
    std::string error;
    // The message names the collection, never the key: token keys are credentials.
    if (!storage_file::try_parse_json(json, doc, error))
      throw g2a::Error(G2A_PARSE_FAILURE,
                       fmt::format("{}: document is not valid JSON: {}", collection, error));
    if (auto it = owner_.find(collection); it != owner_.end())
      it->second->check(collection, key, doc);
    return storage_file::to_compact_json(doc);
  }

  void check_target(std::string_view collection, std::string_view key) const {
    storage_file::check_collection_name(collection);
    if (key.empty())
      throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("{}: empty document key", collection));
  }

 private:
  std::vector<std::unique_ptr<storage_file::DataFile>> files_;
  std::map<std::string, storage_file::DataFile*, std::less<>> owner_;
};

namespace {

// KEYS[1] g2a:collections, KEYS[1 + i] the hash of write i; ARGV per write: op ("p" put,
// "d" delete), collection, key, json. Collections left empty leave the set.
const LuaScript& write_script() {
  static const LuaScript script("doc_write", R"lua(
local emptied = {}
for i = 2, #KEYS do
  local b = (i - 2) * 4 + 1
  if ARGV[b] == 'p' then
    redis.call('HSET', KEYS[i], ARGV[b + 2], ARGV[b + 3])
    redis.call('SADD', KEYS[1], ARGV[b + 1])
    emptied[KEYS[i]] = nil
  else
    redis.call('HDEL', KEYS[i], ARGV[b + 2])
    emptied[KEYS[i]] = ARGV[b + 1]
  end
end
for key, name in pairs(emptied) do
  if redis.call('HLEN', key) == 0 then redis.call('SREM', KEYS[1], name) end
end
return #KEYS - 1
)lua");
  return script;
}

// KEYS[1] the hash; ARGV[1] the prefix. Returns key, json, key, json, ...
const LuaScript& list_script() {
  static const LuaScript script("doc_list", R"lua(
local all = redis.call('HGETALL', KEYS[1])
local prefix = ARGV[1]
if prefix == '' then return all end
local out = {}
local n = #prefix
for i = 1, #all, 2 do
  if string.sub(all[i], 1, n) == prefix then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
)lua");
  return script;
}

// KEYS[1] the marker, KEYS[2] g2a:collections, KEYS[2 + i] the hash of import i; ARGV[1] the
// marker's value, then per import: collection, only_if_empty ("1"/"0"), document count,
// and that many key, json pairs. Returns the added count per import, or false when the
// marker was already set.
const LuaScript& import_script() {
  static const LuaScript script("pro_import", R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local added = {}
local a = 2
for i = 3, #KEYS do
  local name, only_if_empty, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  local count = 0
  if only_if_empty ~= '1' or redis.call('HLEN', KEYS[i]) == 0 then
    for j = 0, n - 1 do
      count = count + redis.call('HSETNX', KEYS[i], ARGV[a + 2 * j], ARGV[a + 2 * j + 1])
    end
  end
  a = a + 2 * n
  if redis.call('HLEN', KEYS[i]) > 0 then redis.call('SADD', KEYS[2], name) end
  added[#added + 1] = count
end
redis.call('SET', KEYS[1], ARGV[1])
return added
)lua");
  return script;
}

}  // namespace

RedisDocuments::RedisDocuments(ConnectionPool& pool)
    : pool_(pool), rules_(std::make_unique<DocumentRules>()) {}

RedisDocuments::~RedisDocuments() = default;

std::optional<std::string> RedisDocuments::get(std::string_view collection, std::string_view key) {
  storage_file::check_collection_name(collection);
  std::string hash = doc_key(collection);
  return pool_.run("HGET", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = c.call({"HGET", hash, key}, "HGET");
    return reply_string(c, r.get(), "HGET");
  });
}

std::vector<std::pair<std::string, std::string>> RedisDocuments::list(std::string_view collection,
                                                                      std::string_view prefix) {
  storage_file::check_collection_name(collection);
  std::string hash = doc_key(collection);
  std::vector<std::pair<std::string, std::string>> out =
      pool_.run("script doc_list", Retry::kOnce, [&](RedisConnection& c) {
        Reply r = list_script().run(c, {hash}, {prefix});
        auto items = reply_array(c, r.get(), "script doc_list");
        std::vector<std::pair<std::string, std::string>> docs;
        docs.reserve(items.size() / 2);
        for (std::size_t i = 0; i + 1 < items.size(); i += 2)
          docs.emplace_back(reply_string(c, items[i], "script doc_list").value_or(""),
                            reply_string(c, items[i + 1], "script doc_list").value_or(""));
        return docs;
      });
  // std::string compares as unsigned bytes: the byte-wise key order of the contract.
  std::sort(out.begin(), out.end());
  return out;
}

void RedisDocuments::write_batch(const std::vector<DocWrite>& writes) {
  if (writes.empty()) return;
  std::vector<std::string> hashes, jsons;
  hashes.reserve(writes.size());
  jsons.reserve(writes.size());
  for (const DocWrite& w : writes) {
    if (w.is_delete) {
      rules_->check_target(w.collection, w.key);
      jsons.emplace_back();
    } else {
      jsons.push_back(rules_->checked(w.collection, w.key, w.json));
    }
    hashes.push_back(doc_key(w.collection));
  }
  std::vector<std::string_view> keys{kCollectionsKey};
  std::vector<std::string_view> argv;
  argv.reserve(writes.size() * 4);
  for (std::size_t i = 0; i < writes.size(); ++i) {
    keys.push_back(hashes[i]);
    argv.push_back(writes[i].is_delete ? "d" : "p");
    argv.push_back(writes[i].collection);
    argv.push_back(writes[i].key);
    argv.push_back(jsons[i]);
  }
  // Applying the same writes twice leaves the same state: safe to resend.
  pool_.run("script doc_write", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = write_script().run(c, keys, argv);
    reply_integer(c, r.get(), "script doc_write");
  });
}

std::vector<std::string> RedisDocuments::collections() {
  std::vector<std::string> out =
      pool_.run("SMEMBERS g2a:collections", Retry::kOnce, [&](RedisConnection& c) {
        Reply r = c.call({"SMEMBERS", kCollectionsKey}, "SMEMBERS g2a:collections");
        std::vector<std::string> names;
        for (const redisReply* item : reply_array(c, r.get(), "SMEMBERS g2a:collections"))
          names.push_back(reply_string(c, item, "SMEMBERS g2a:collections").value_or(""));
        return names;
      });
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::vector<int64_t>> RedisDocuments::import_once(const std::vector<Import>& imports,
                                                                std::string_view marker,
                                                                std::string_view marker_value) {
  std::vector<std::string> hashes, counts;
  for (const Import& imp : imports) {
    hashes.push_back(doc_key(imp.collection));
    counts.push_back(std::to_string(imp.docs.size()));
  }
  std::vector<std::string_view> keys{marker, kCollectionsKey};
  keys.insert(keys.end(), hashes.begin(), hashes.end());
  std::vector<std::string_view> argv{marker_value};
  for (std::size_t i = 0; i < imports.size(); ++i) {
    argv.push_back(imports[i].collection);
    argv.push_back(imports[i].only_if_empty ? "1" : "0");
    argv.push_back(counts[i]);
    for (const auto& [key, json] : imports[i].docs) {
      argv.push_back(key);
      argv.push_back(json);
    }
  }
  return pool_.run("script pro_import", Retry::kOnce,
                   [&](RedisConnection& c) -> std::optional<std::vector<int64_t>> {
                     Reply r = import_script().run(c, keys, argv);
                     if (r->type == REDIS_REPLY_NIL) return std::nullopt;  // imported before
                     std::vector<int64_t> added;
                     for (const redisReply* item : reply_array(c, r.get(), "script pro_import"))
                       added.push_back(reply_integer(c, item, "script pro_import"));
                     return added;
                   });
}

}  // namespace g2a::storage_redis
