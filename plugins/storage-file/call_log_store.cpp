#include "call_log_store.hpp"

#include "durable_file.hpp"

namespace g2a::storage_file {

CallLogStore::CallLogStore(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)), path_(call_log_path(data_dir_)) {}

CallLogLoadSummary CallLogStore::open(std::vector<std::string>& warnings) {
  std::lock_guard io(io_mu_);
  std::unique_lock lock(mu_);
  CallLogLoadSummary summary = load_call_logs(data_dir_, index_, warnings);
  file_bytes_ = summary.file_bytes;
  deleted_bytes_ = summary.deleted_bytes;
  return summary;
}

void CallLogStore::append(const std::vector<std::string_view>& records) {
  std::vector<CallLogRecord> parsed;
  parsed.reserve(records.size());
  for (std::string_view text : records) parsed.push_back(parse_call_log_record(text));
  std::lock_guard io(io_mu_);
  std::unique_lock lock(mu_);
  for (auto& record : parsed) {
    // Where the line will start once flushed: flushes append pending_ as it is.
    uint64_t offset = file_bytes_ + pending_.size();
    pending_.append(record.line);
    pending_.push_back('\n');
    index_.add(std::move(record), offset);
  }
}

uint64_t CallLogStore::query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                             std::vector<std::pair<std::string, std::string>>& page) const {
  std::vector<std::string> lines;
  uint64_t total;
  {
    std::shared_lock lock(mu_);
    total = index_.query(filter, offset, limit, lines);
  }
  // Only the page is parsed, and outside the lock.
  page.reserve(lines.size());
  for (auto& line : lines) {
    std::string id = call_log_record_id(line);
    page.emplace_back(std::move(id), std::move(line));
  }
  return total;
}

LogStats CallLogStore::stats(const LogFilter& filter, int64_t today_start_ms) const {
  std::shared_lock lock(mu_);
  return index_.stats(filter, today_start_ms);
}

std::vector<LogBucket> CallLogStore::timeseries(const LogFilter& filter, int64_t bucket_ms,
                                                int64_t utc_offset_ms) const {
  std::shared_lock lock(mu_);
  return index_.timeseries(filter, bucket_ms, utc_offset_ms);
}

std::vector<std::string> CallLogStore::models() const {
  std::shared_lock lock(mu_);
  return index_.models();
}

uint64_t CallLogStore::trim(uint64_t keep_newest) {
  std::lock_guard io(io_mu_);
  {
    std::shared_lock lock(mu_);
    if (index_.excess_over(keep_newest) == 0) return 0;
  }
  write_pending();  // every line to mark is then on disk
  std::vector<CallLogIndex::LineSpan> dropped;
  {
    std::unique_lock lock(mu_);
    dropped = index_.drop_oldest(index_.excess_over(keep_newest));
  }
  std::vector<uint64_t> offsets;
  offsets.reserve(dropped.size());
  for (const auto& span : dropped) {
    offsets.push_back(span.offset);
    deleted_bytes_ += span.length + 1;
  }
  // The marks first: they need no disk space, so the trim is durable even when the
  // rewrite below cannot be made (it is tried again at the next trim).
  try {
    overwrite_bytes_durably(path_, offsets, kDeletedLineMark);
  } catch (...) {
    rewrite_file();  // the index no longer holds the dropped records: the file follows it
    return dropped.size();
  }
  if (deleted_bytes_ * 4 > file_bytes_) {
    try {
      rewrite_file();
    } catch (...) {
      // The marked lines stay skipped at load; the space comes back at a later trim.
    }
  }
  return dropped.size();
}

void CallLogStore::write_pending() {
  std::string lines;
  {
    std::unique_lock lock(mu_);
    lines.swap(pending_);
  }
  if (lines.empty()) return;
  try {
    append_file_durably(path_, lines);
  } catch (...) {
    std::unique_lock lock(mu_);
    pending_.swap(lines);  // retried by the next flush; appends wait for io_mu_
    throw;
  }
  file_bytes_ += lines.size();
}

void CallLogStore::rewrite_file() {
  uint64_t bytes = 0;
  {
    // Queries go on meanwhile; appends wait for io_mu_.
    std::shared_lock lock(mu_);
    replace_file_durably(path_, [&](const ContentSink& sink) {
      index_.for_each_line([&](std::string_view line) {
        sink(line);
        sink("\n");
        bytes += line.size() + 1;
      });
    });
  }
  std::unique_lock lock(mu_);
  index_.renumber_offsets();
  file_bytes_ = bytes;
  deleted_bytes_ = 0;
}

void CallLogStore::flush() {
  std::lock_guard io(io_mu_);
  write_pending();
}

std::size_t CallLogStore::size() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

}  // namespace g2a::storage_file
