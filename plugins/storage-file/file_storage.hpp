// The default storage backend: everything in JSON files under the data directory, in the
// Python Pro service's own formats where it had one, so a Pro data/ folder loads as is.
#pragma once

#include <filesystem>
#include <grok2api/plugin.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "call_log_store.hpp"
#include "claim_table.hpp"
#include "collection.hpp"
#include "data_dir_lock.hpp"
#include "data_file.hpp"

namespace g2a::storage_file {

class FileStorage final : public g2a::Storage {
 public:
  explicit FileStorage(g2a::Host host);
  ~FileStorage() override;

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

 private:
  // A write checked against its file's layout, ready to apply.
  struct CheckedWrite {
    std::string collection, key;
    std::optional<std::string> json;  // nullopt = delete
  };

  void load_documents();
  void load_file(DataFile& file);
  void migrate_media();
  void log_loaded(const CallLogLoadSummary& logs);

  CheckedWrite check_write(std::string_view collection, std::string_view key,
                           const std::string_view* json);
  void apply(CheckedWrite&& write);  // docs_mu_ held

  // The file owning `collection`, created for a new generic collection. docs_mu_ held.
  DataFile& file_for(std::string_view collection);

  g2a::Host host_;
  std::string dir_text_;  // as the host named it, for describe() and messages
  std::filesystem::path dir_;
  DataDirLock lock_;

  std::mutex flush_mu_;  // one flush at a time, so an older snapshot never lands last
  std::mutex docs_mu_;   // guards everything below
  Collections collections_;
  std::vector<std::unique_ptr<DataFile>> files_;
  std::map<std::string, DataFile*, std::less<>> owner_;  // collection -> its file
  std::set<DataFile*> dirty_;

  CallLogStore logs_;
  ClaimTable claims_;
};

}  // namespace g2a::storage_file
