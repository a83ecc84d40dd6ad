// The call log in Redis: records in a hash by sequence number, sorted sets by timestamp
// (all records, failed records) whose members carry the filter fields, per-model counts.
// Filters, pages, counts, stats and time buckets are computed by Lua scripts on the server
// with storage-file's semantics (the conformance suite compares the two).
#pragma once

#include <cstdint>
#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connection_pool.hpp"

namespace g2a::storage_redis {

class RedisCallLog {
 public:
  explicit RedisCallLog(ConnectionPool& pool) : pool_(pool) {}

  // Validates every record first (storage-file's parser), then adds all or none.
  void append(const std::vector<std::string_view>& records);
  // (id, record) of the matching records, newest first; returns the number matching.
  uint64_t query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                 std::vector<std::pair<std::string, std::string>>& page);
  LogStats stats(const LogFilter& filter, int64_t today_start_ms);
  std::vector<LogBucket> timeseries(const LogFilter& filter, int64_t bucket_ms,
                                    int64_t utc_offset_ms);
  std::vector<std::string> models();
  uint64_t trim(uint64_t keep_newest);

 private:
  ConnectionPool& pool_;
};

}  // namespace g2a::storage_redis
