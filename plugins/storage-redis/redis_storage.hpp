// The Redis storage backend (storage-redis.so): documents, call logs and claims as real
// keys under g2a:, shared by every gateway instance on the same database. Thread-safe
// through a pool of pool_size connections; reconnects by itself after a server restart.
#pragma once

#include <grok2api/plugin.hpp>
#include <memory>
#include <string>
#include <vector>

#include "connection_pool.hpp"
#include "redis_call_log.hpp"
#include "redis_claims.hpp"
#include "redis_documents.hpp"
#include "redis_options.hpp"

namespace g2a::storage_redis {

class RedisStorage final : public g2a::Storage {
 public:
  explicit RedisStorage(g2a::Host host);

  std::optional<std::string> doc_get(std::string_view collection, std::string_view key) override;
  void doc_put(std::string_view collection, std::string_view key, std::string_view json) override;
  void doc_delete(std::string_view collection, std::string_view key) override;
  void doc_list(std::string_view collection, std::string_view key_prefix, DocVisitor fn,
                void* user) override;
  void doc_write_batch(const std::vector<DocWrite>& writes) override;
  std::vector<std::string> doc_collections() override;
  bool claim(std::string_view name, std::string_view owner, uint32_t lease_ms) override;
  void release(std::string_view name, std::string_view owner) override;
  void log_append(const std::vector<std::string_view>& records) override;
  uint64_t log_query(const LogFilter& filter, uint64_t offset, uint64_t limit, DocVisitor fn,
                     void* user) override;
  LogStats log_stats(const LogFilter& filter, int64_t today_start_ms) override;
  bool log_timeseries(const LogFilter& filter, int64_t bucket_ms, int64_t utc_offset_ms,
                      std::vector<LogBucket>& out) override;
  std::vector<std::string> log_models() override;
  uint64_t log_trim(uint64_t keep_newest) override;
  void flush() override;
  std::string describe() override;
  void ping() override;

 private:
  void check_schema();

  g2a::Host host_;
  RedisOptions options_;
  ConnectionPool pool_;
  ConnectionPool ping_pool_;  // its own connection and short timeouts: never waits for calls
  RedisDocuments docs_;
  RedisCallLog logs_;
  RedisClaims claims_;
};

}  // namespace g2a::storage_redis
