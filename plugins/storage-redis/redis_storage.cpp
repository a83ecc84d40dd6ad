#include "redis_storage.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "collection_name.hpp"
#include "pro_import.hpp"
#include "redis_keys.hpp"

namespace g2a::storage_redis {

RedisStorage::RedisStorage(g2a::Host host)
    : host_(host),
      options_(parse_redis_options(host.config_json())),
      pool_(options_.target, Timeouts{options_.connect_timeout_ms, options_.command_timeout_ms},
            options_.pool_size),
      ping_pool_(options_.target, Timeouts{options_.ping_timeout_ms, options_.ping_timeout_ms}, 1),
      docs_(pool_),
      logs_(pool_),
      claims_(pool_) {
  try {
    check_schema();
    import_pro_keys_once(pool_, docs_, host_);
  } catch (const g2a::Error& e) {
    throw g2a::Error(e.status(), fmt::format("storage-redis: cannot open {}: {}",
                                             options_.target.display(), e.what()));
  }
  host_.info(fmt::format("using {} (schema {}, {} connection(s))", options_.target.display(),
                         kSchemaVersion, options_.pool_size));
}

void RedisStorage::check_schema() {
  std::string ours = std::to_string(kSchemaVersion);
  std::string found = pool_.run("GET g2a:schema", Retry::kOnce, [&](RedisConnection& c) {
    Reply set = c.call({"SET", kSchemaKey, ours, "NX"}, "SET g2a:schema");
    Reply get = c.call({"GET", kSchemaKey}, "GET g2a:schema");
    return reply_string(c, get.get(), "GET g2a:schema").value_or(ours);
  });
  if (std::atoi(found.c_str()) > kSchemaVersion)
    throw g2a::Error(G2A_UNSUPPORTED,
                     fmt::format("its g2a:schema is version {}, newer than this build's {}: "
                                 "upgrade grok2api",
                                 found.substr(0, 20), kSchemaVersion));
}

std::optional<std::string> RedisStorage::doc_get(std::string_view collection,
                                                 std::string_view key) {
  return docs_.get(collection, key);
}

void RedisStorage::doc_put(std::string_view collection, std::string_view key,
                           std::string_view json) {
  docs_.write_batch({DocWrite{collection, key, json, false}});
}

void RedisStorage::doc_delete(std::string_view collection, std::string_view key) {
  // Like storage-file: deleting the (never stored) empty key is a no-op, not an error.
  if (key.empty()) return storage_file::check_collection_name(collection);
  docs_.write_batch({DocWrite{collection, key, {}, true}});
}

void RedisStorage::doc_list(std::string_view collection, std::string_view key_prefix, DocVisitor fn,
                            void* user) {
  // Visited after the reply is read, so a visitor may call back into storage.
  for (const auto& [key, json] : docs_.list(collection, key_prefix))
    if (!fn(user, key, json)) break;
}

void RedisStorage::doc_write_batch(const std::vector<DocWrite>& writes) {
  docs_.write_batch(writes);
}

std::vector<std::string> RedisStorage::doc_collections() {
  return docs_.collections();
}

bool RedisStorage::claim(std::string_view name, std::string_view owner, uint32_t lease_ms) {
  return claims_.claim(name, owner, lease_ms);
}

void RedisStorage::release(std::string_view name, std::string_view owner) {
  claims_.release(name, owner);
}

void RedisStorage::log_append(const std::vector<std::string_view>& records) {
  logs_.append(records);
}

uint64_t RedisStorage::log_query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                                 DocVisitor fn, void* user) {
  std::vector<std::pair<std::string, std::string>> page;
  uint64_t total = logs_.query(filter, offset, limit, page);
  for (const auto& [id, record] : page)
    if (!fn(user, id, record)) break;
  return total;
}

LogStats RedisStorage::log_stats(const LogFilter& filter, int64_t today_start_ms) {
  return logs_.stats(filter, today_start_ms);
}

bool RedisStorage::log_timeseries(const LogFilter& filter, int64_t bucket_ms, int64_t utc_offset_ms,
                                  std::vector<LogBucket>& out) {
  out = logs_.timeseries(filter, bucket_ms, utc_offset_ms);
  return true;
}

std::vector<std::string> RedisStorage::log_models() {
  return logs_.models();
}

uint64_t RedisStorage::log_trim(uint64_t keep_newest) {
  return logs_.trim(keep_newest);
}

void RedisStorage::flush() {
  // Every accepted write is already on the server; its durability is the server's
  // persistence setting (appendonly / save).
}

std::string RedisStorage::describe() {
  return options_.target.display();
}

void RedisStorage::ping() {
  ping_pool_.run("PING", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = c.call({"PING"}, "PING");
    if (reply_string(c, r.get(), "PING").value_or("") != "PONG") c.fail("PING", "no PONG");
  });
}

}  // namespace g2a::storage_redis
