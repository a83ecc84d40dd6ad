#include "core/calllog/log_scan.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/storage/store.hpp"

namespace g2a::calllog {

bool record_timestamp(const std::string& record, int64_t& out) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(record, ec);
  if (ec || !v.is_object()) return false;
  const auto* ts = v.as_object().if_contains("timestamp");
  if (!ts || !ts->is_int64()) return false;
  out = ts->as_int64();
  return true;
}

g2a_log_filter to_log_filter(const LogScanFilter& filter, int64_t end_ms) {
  return {sizeof(g2a_log_filter),
          {filter.sso.data(), filter.sso.size()},
          {filter.model.data(), filter.model.size()},
          filter.success,
          filter.start_ms,
          end_ms};
}

LogScan::LogScan(storage::Store& store, LogScanFilter filter, int64_t now_ms, uint64_t page_size)
    : store_(store),
      filter_(std::move(filter)),
      page_size_(std::max<uint64_t>(1, page_size)),
      end_ms_(filter_.end_ms != 0 ? std::min(filter_.end_ms, now_ms) : now_ms) {
  // A bound before the start (or before the epoch, where 0 would mean unbounded) matches
  // nothing.
  if (end_ms_ <= 0 || (filter_.start_ms != 0 && end_ms_ < filter_.start_ms)) done_ = true;
}

std::vector<std::string> LogScan::next() {
  if (done_) return {};
  auto page = store_.log_query(to_log_filter(filter_, end_ms_), skip_, page_size_);
  auto& records = page.records;
  if (records.size() < page_size_) done_ = true;  // nothing older is left
  if (records.empty()) return {};

  // Continue below the last timestamp, skipping the records at it already returned.
  int64_t last = 0;
  if (!record_timestamp(records.back(), last) || last <= 0 || last >= end_ms_) {
    // Every record of the page is at end_ms_ (or unreadable): the offset moves instead.
    skip_ += records.size();
    return std::move(records);
  }
  uint64_t at_last = 0;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    int64_t ts = 0;
    if (!record_timestamp(*it, ts) || ts != last) break;
    ++at_last;
  }
  end_ms_ = last;
  skip_ = at_last;
  return std::move(records);
}

}  // namespace g2a::calllog
