// storage-mysql: the g2a_storage_v1 backend on a MySQL or MariaDB server (libmariadb),
// shared by several gateway instances. Every call runs on a pooled connection and is
// committed before it returns, so flush() has nothing to do.
#pragma once

#include <grok2api/plugin.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection_pool.hpp"
#include "document_check.hpp"

namespace g2a::storage_mysql {

class MysqlStorage final : public g2a::Storage {
 public:
  explicit MysqlStorage(g2a::Host host);

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
  void flush() override {}
  std::string describe() override;
  void ping() override;

 private:
  void prepare_database();

  g2a::Host host_;
  std::unique_ptr<ConnectionPool> pool_;
  // ping's own connection, with short timeouts, so that ping answers within seconds even
  // when the server hangs or every pooled connection is busy.
  std::mutex ping_mu_;
  std::unique_ptr<Connection> ping_conn_;
  DocumentChecker checker_;
};

}  // namespace g2a::storage_mysql
