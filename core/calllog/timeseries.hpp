// GET /api/logs/timeseries's numbers: calls, failures and the median latency of the
// matching records per time bucket. The storage plugin computes them from its index when
// it offers log_timeseries (ABI 1.1); otherwise they come from reading every matching
// record in pages (LogScan).
#pragma once

#include <cstdint>
#include <vector>

#include <grok2api/plugin.h>

#include "core/calllog/log_scan.hpp"

namespace g2a::storage {
class Store;
}

namespace g2a::calllog {

// The first millisecond of the bucket holding ts, on a clock utc_offset_ms ahead of UTC.
int64_t bucket_start(int64_t ts, int64_t bucket_ms, int64_t utc_offset_ms);

// Buckets (oldest first) from the records themselves: what a backend without
// log_timeseries gets. Blocking.
std::vector<g2a_log_bucket> bucket_records(storage::Store& store, const LogScanFilter& filter,
                                           int64_t bucket_ms, int64_t utc_offset_ms);

// The storage's buckets when it offers them, else bucket_records. Blocking.
std::vector<g2a_log_bucket> log_timeseries(storage::Store& store, const LogScanFilter& filter,
                                           int64_t bucket_ms, int64_t utc_offset_ms);

}  // namespace g2a::calllog
