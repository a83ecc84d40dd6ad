#include "core/calllog/sink_feed.hpp"

#include <algorithm>
#include <random>

#include "core/ops/mask.hpp"
#include "core/ops/metrics.hpp"
#include "core/runtime/clock.hpp"

namespace g2a::calllog {

namespace {
constexpr std::chrono::milliseconds kFirstBackoff{500};
constexpr std::chrono::milliseconds kMaxBackoff{30'000};

// "Equal jitter": half the backoff plus a random part of the other half, so gateways that
// lost the same receiver at once do not all come back in step.
std::chrono::milliseconds jittered(std::chrono::milliseconds backoff) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  auto half = backoff.count() / 2;
  std::uniform_int_distribution<int64_t> extra(0, backoff.count() - half);
  return std::chrono::milliseconds(half + extra(rng));
}

std::string_view status_name(g2a_status st) {
  switch (st) {
    case G2A_RETRY:
      return "retry";
    case G2A_DROP:
      return "dropped";
    default:
      return "failed";
  }
}
}  // namespace

SinkFeed::SinkFeed(std::string id, const g2a_log_sink_v1* table, void* instance, size_t max_pending)
    : id_(std::move(id)),
      table_(table),
      instance_(instance),
      max_pending_(std::max<size_t>(1, max_pending)),
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
  trim_locked();
}

void SinkFeed::set_max_pending(size_t max_pending) {
  std::lock_guard lock(mu_);
  max_pending_ = std::max<size_t>(1, max_pending);
  trim_locked();
}

size_t SinkFeed::max_pending() const {
  std::lock_guard lock(mu_);
  return max_pending_;
}

void SinkFeed::trim_locked() {
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
  if (st != G2A_OK)  // done will not be called
    finish(G2A_RETRY, "submit refused (status " + std::to_string(static_cast<int>(st)) + ")");
  return true;
}

void SinkFeed::on_done(void* user, g2a_status st, g2a_str message) {
  static_cast<SinkFeed*>(user)->finish(
      st, message.data ? std::string_view(message.data, message.len) : std::string_view());
}

void SinkFeed::note_error_locked(std::string message) {
  last_error_.message = std::move(message);
  last_error_.at_ms = runtime::now_ms();
}

void SinkFeed::finish(g2a_status st, std::string_view message) {
  std::lock_guard lock(mu_);
  size_t n = std::exchange(in_flight_, 0);
  if (st != G2A_OK)
    // A sink names receivers in its message: keep their credentials and queries out.
    note_error_locked(message.empty() ? std::string(status_name(st))
                                      : ops::mask_urls_in_text(message));
  if (st == G2A_RETRY) {
    ++counters_.retried;
    retried_metric_.add();
    backoff_ = std::min(kMaxBackoff, std::max(kFirstBackoff, backoff_ * 2));
    retry_at_ = Clock::now() + jittered(backoff_);
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

SinkFeed::LastError SinkFeed::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

size_t SinkFeed::pending() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

SinkFeed::Clock::time_point SinkFeed::retry_at() const {
  std::lock_guard lock(mu_);
  return retry_at_;
}

bool SinkFeed::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_ != 0;
}

}  // namespace g2a::calllog
