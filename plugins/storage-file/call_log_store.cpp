#include "call_log_store.hpp"

#include "durable_file.hpp"

namespace g2a::storage_file {

CallLogStore::CallLogStore(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)), path_(call_log_path(data_dir_)) {}

CallLogLoadSummary CallLogStore::open(std::vector<std::string>& warnings) {
  std::unique_lock lock(mu_);
  return load_call_logs(data_dir_, index_, warnings);
}

void CallLogStore::append(const std::vector<std::string_view>& records) {
  std::vector<CallLogRecord> parsed;
  parsed.reserve(records.size());
  for (std::string_view text : records) parsed.push_back(parse_call_log_record(text));
  std::unique_lock lock(mu_);
  for (auto& record : parsed) {
    pending_.append(record.line);
    pending_.push_back('\n');
    index_.add(std::move(record));
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

std::vector<std::string> CallLogStore::models() const {
  std::shared_lock lock(mu_);
  return index_.models();
}

uint64_t CallLogStore::trim(uint64_t keep_newest) {
  std::lock_guard io(io_mu_);
  std::unique_lock lock(mu_);
  uint64_t excess = index_.excess_over(keep_newest);
  if (excess == 0) return 0;
  // The rewrite holds every kept record, including those still pending.
  replace_file_durably(path_, [&](const ContentSink& sink) {
    index_.for_each_line(excess, [&](std::string_view line) {
      sink(line);
      sink("\n");
    });
  });
  index_.drop_oldest(excess);
  pending_.clear();
  return excess;
}

void CallLogStore::flush() {
  std::lock_guard io(io_mu_);
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
    pending_.insert(0, lines);  // retried by the next flush
    throw;
  }
}

std::size_t CallLogStore::size() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

}  // namespace g2a::storage_file
