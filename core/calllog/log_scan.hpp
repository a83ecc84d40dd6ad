// Reads every stored record matching a filter, newest first, a page at a time, so that an
// export or a chart over a million records never holds them all at once. The scan's end
// is fixed when it starts (now, or the filter's earlier end_ms) and each page continues
// below the last timestamp returned, so records appended during the scan neither repeat
// nor shift what follows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <grok2api/plugin.h>

namespace g2a::storage {
class Store;
}

namespace g2a::calllog {

struct LogScanFilter {
  std::string sso, model;
  int32_t success = -1;
  int64_t start_ms = 0, end_ms = 0;  // 0: unbounded (as in g2a_log_filter)
};

class LogScan {
 public:
  LogScan(storage::Store& store, LogScanFilter filter, int64_t now_ms, uint64_t page_size);

  // The next page of records (JSON), newest first; empty once the scan is done. Calls the
  // store's blocking form: run it on the blocking pool.
  std::vector<std::string> next();

 private:
  storage::Store& store_;
  LogScanFilter filter_;
  uint64_t page_size_;
  int64_t end_ms_;     // the newest timestamp still to read
  uint64_t skip_ = 0;  // records at end_ms_ already returned
  bool done_ = false;
};

// The filter as the storage ABI takes it (borrowing filter's strings), ending at end_ms.
g2a_log_filter to_log_filter(const LogScanFilter& filter, int64_t end_ms);

// A record's "timestamp" when it is an integer.
bool record_timestamp(const std::string& record, int64_t& out);

}  // namespace g2a::calllog
