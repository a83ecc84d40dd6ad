// The call log: the in-memory index, the records not yet on disk, and the ndjson file,
// with the locking that lets queries run while the host appends.
#pragma once

#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "call_log_file.hpp"
#include "call_log_index.hpp"

namespace g2a::storage_file {

class CallLogStore {
 public:
  explicit CallLogStore(std::filesystem::path data_dir);

  // Loads (or imports) the log; call once before anything else.
  CallLogLoadSummary open(std::vector<std::string>& warnings);

  // Validates every record first, then accepts all of them or none.
  void append(const std::vector<std::string_view>& records);

  // (id, line) of the matching records, newest first; returns the number matching.
  uint64_t query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                 std::vector<std::pair<std::string, std::string>>& page) const;
  LogStats stats(const LogFilter& filter, int64_t today_start_ms) const;
  std::vector<LogBucket> timeseries(const LogFilter& filter, int64_t bucket_ms,
                                    int64_t utc_offset_ms) const;
  std::vector<std::string> models() const;

  // Keeps the newest keep_newest records; returns how many went. Their lines are marked
  // deleted in place, and the file is rewritten once deleted lines fill a quarter of it,
  // so that a log kept at its maximum does not rewrite the whole file on every flush.
  uint64_t trim(uint64_t keep_newest);

  // Appends the accepted records to the file and fdatasyncs it.
  void flush();

  std::size_t size() const;

 private:
  void write_pending();  // io_mu_ held
  void rewrite_file();   // io_mu_ held, nothing pending

  std::filesystem::path data_dir_;
  std::filesystem::path path_;
  // Taken first by every writer (append, flush, trim), so a trim's file rewrite, done under
  // the shared lock, sees no append; queries take only the shared lock.
  std::mutex io_mu_;
  uint64_t file_bytes_ = 0;       // on disk (io_mu_)
  uint64_t deleted_bytes_ = 0;    // of them, lines marked deleted (io_mu_)
  mutable std::shared_mutex mu_;  // guards index_ and pending_
  CallLogIndex index_;
  std::string pending_;  // accepted lines, '\n'-terminated, not yet on disk
};

}  // namespace g2a::storage_file
