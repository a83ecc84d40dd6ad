#include "core/calllog/sink_feed.hpp"

#include <algorithm>

#include "core/ops/metrics.hpp"

namespace g2a::calllog {

namespace {
constexpr std::chrono::milliseconds kFirstBackoff{500};
constexpr std::chrono::milliseconds kMaxBackoff{30'000};
}  // namespace

SinkFeed::SinkFeed(std::string id, const g2a_log_sink_v1* table, void* instance, size_t max_pending)
    : id_(std::move(id)),
      table_(table),
      instance_(instance),
      max_pending_(max_pending),
      delivered_metric_(ops::Metrics::global().counter(
          "g2a_log_sink_records_total", "Call-log records a log sink accepted or lost",
          "sink=\"" + id_ + "\",outcome=\"delivered\"")),
      dropped_metric_(ops::Metrics::global().counter("g2a_log_sink_records_total",
                                                     "Call-log records a log sink accepted or lost",
                                                     "sink=\"" + id_ + "\",outcome=\"dropped\"")),
      retried_metric_(ops::Metrics::global().counter("g2a_log_sink_retries_total",
                                                     "Call-log batches sent to a log sink again",
                                                     "sink=\"" + id_ + "\"")) {}

void SinkFeed::add(const std::vector<std::string>& records) {
  std::lock_guard lock(mu_);
  for (const auto& r : records) pending_.push_back(r);
  while (pending_.size() > std::max(max_pending_, in_flight_) && pending_.size() > in_flight_) {
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(in_flight_));
    ++counters_.dropped;
    dropped_metric_.add();
  }
}

bool SinkFeed::pump(size_t batch_size, Clock::time_point now) {
  std::vector<std::string> batch;
  {
    std::lock_guard lock(mu_);
    if (in_flight_ || pending_.empty() || now < retry_at_) return false;
    in_flight_ = std::min(pending_.size(), std::max<size_t>(1, batch_size));
    batch.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(in_flight_));
  }
  // Outside the lock: the plugin may call done before submit returns.
  std::vector<g2a_str> strs;
  strs.reserve(batch.size());
  for (const auto& r : batch) strs.push_back({r.data(), r.size()});
  g2a_status st = table_->submit(instance_, strs.data(), strs.size(), &SinkFeed::on_done, this);
  if (st != G2A_OK) finish(G2A_RETRY);  // done will not be called
  return true;
}

void SinkFeed::on_done(void* user, g2a_status st, g2a_str) {
  static_cast<SinkFeed*>(user)->finish(st);
}

void SinkFeed::finish(g2a_status st) {
  std::lock_guard lock(mu_);
  size_t n = std::exchange(in_flight_, 0);
  if (st == G2A_RETRY) {
    ++counters_.retried;
    retried_metric_.add();
    backoff_ = std::min(kMaxBackoff, std::max(kFirstBackoff, backoff_ * 2));
    retry_at_ = Clock::now() + backoff_;
    return;
  }
  // G2A_OK, G2A_DROP and any other status end the batch.
  (st == G2A_OK ? counters_.delivered : counters_.dropped) += n;
  (st == G2A_OK ? delivered_metric_ : dropped_metric_).add(n);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  backoff_ = std::chrono::milliseconds(0);
  retry_at_ = {};
}

SinkFeed::Counters SinkFeed::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

size_t SinkFeed::pending() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

bool SinkFeed::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_ != 0;
}

}  // namespace g2a::calllog
