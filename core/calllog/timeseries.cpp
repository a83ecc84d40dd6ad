#include "core/calllog/timeseries.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/storage/store.hpp"

namespace g2a::calllog {
namespace json = boost::json;

namespace {

constexpr uint64_t kScanPage = 5000;

double median(std::vector<double>& v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2) return *mid;
  double upper = *mid;
  double lower = *std::max_element(v.begin(), mid);
  return (lower + upper) / 2;
}

struct Bucket {
  uint64_t calls = 0, failures = 0;
  std::vector<double> latencies;
};

}  // namespace

int64_t bucket_start(int64_t ts, int64_t bucket_ms, int64_t utc_offset_ms) {
  int64_t local = ts + utc_offset_ms;
  int64_t n = local >= 0 ? local / bucket_ms : (local - bucket_ms + 1) / bucket_ms;
  return n * bucket_ms - utc_offset_ms;
}

std::vector<g2a_log_bucket> bucket_records(storage::Store& store, const LogScanFilter& filter,
                                           int64_t bucket_ms, int64_t utc_offset_ms) {
  std::map<int64_t, Bucket> buckets;
  // No end but the filter's: a chart shows every record there is.
  LogScan scan(store, filter, std::numeric_limits<int64_t>::max(), kScanPage);
  for (auto page = scan.next(); !page.empty(); page = scan.next()) {
    for (const auto& text : page) {
      boost::system::error_code ec;
      json::value v = json::parse(text, ec);
      if (ec || !v.is_object()) continue;
      const auto& o = v.as_object();
      const auto* ts = o.if_contains("timestamp");
      if (!ts || !ts->is_int64()) continue;
      Bucket& b = buckets[bucket_start(ts->as_int64(), bucket_ms, utc_offset_ms)];
      ++b.calls;
      if (const auto* ok = o.if_contains("success"); !ok || !ok->is_bool() || !ok->as_bool())
        ++b.failures;
      if (const auto* rt = o.if_contains("response_time"); rt && rt->is_number())
        b.latencies.push_back(rt->to_number<double>());
    }
  }
  std::vector<g2a_log_bucket> out;
  out.reserve(buckets.size());
  for (auto& [start, b] : buckets)
    out.push_back({sizeof(g2a_log_bucket), start, b.calls, b.failures, median(b.latencies)});
  return out;
}

std::vector<g2a_log_bucket> log_timeseries(storage::Store& store, const LogScanFilter& filter,
                                           int64_t bucket_ms, int64_t utc_offset_ms) {
  g2a_log_filter f = to_log_filter(filter, filter.end_ms);
  if (auto buckets = store.log_timeseries(f, bucket_ms, utc_offset_ms)) return std::move(*buckets);
  return bucket_records(store, filter, bucket_ms, utc_offset_ms);
}

}  // namespace g2a::calllog
