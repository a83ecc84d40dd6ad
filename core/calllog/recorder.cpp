#include "core/calllog/recorder.hpp"

#include <algorithm>

#include "core/calllog/call_record.hpp"
#include "core/calllog/sink_feed.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/metrics.hpp"
#include "core/storage/store.hpp"

namespace g2a::calllog {

Recorder::Recorder(storage::Store& store, std::function<int64_t()> max_count,
                   std::function<int64_t()> batch_size)
    : store_(store),
      max_count_(std::move(max_count)),
      batch_size_(std::move(batch_size)),
      dropped_metric_(ops::Metrics::global().counter(
          "g2a_call_log_dropped_total",
          "Call-log records dropped because storage could not take them in time "
          "(global.log_queue_max)")) {}

Recorder::~Recorder() = default;

void Recorder::add_sink(std::unique_ptr<SinkFeed> sink) {
  sinks_.push_back(std::move(sink));
}

void Recorder::submit(const CallRecord& record) {
  std::string line = to_json(record);
  std::string sink_line = sinks_.empty() ? std::string() : to_json(record, Audience::kSink);
  size_t batch = static_cast<size_t>(std::max<int64_t>(1, batch_size_()));
  size_t max = queue_max_ ? static_cast<size_t>(std::max<int64_t>(1, queue_max_())) : 0;
  bool full;
  uint64_t dropped_now = 0;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(line));
    while (max && queue_.size() > max) {
      queue_.pop_front();
      ++dropped_;
      ++dropped_now;
    }
    if (!sinks_.empty()) sink_queue_.push_back(std::move(sink_line));
    full = !batch_signalled_ && queue_.size() >= batch;
    if (full) batch_signalled_ = true;
  }
  if (dropped_now) {
    dropped_metric_.add(static_cast<int64_t>(dropped_now));
    // Said once per run of drops, not per record.
    if (!warned_drop_.exchange(true))
      ops::logger("CallLog")->error(
          "storage is not taking call-log records and {} are queued "
          "(global.log_queue_max): dropping the oldest until it recovers",
          max);
  }
  if (full && batch_ready_) batch_ready_();
}

size_t Recorder::flush_blocking() {
  std::lock_guard flush_lock(flush_mu_);
  std::deque<std::string> pending;
  std::vector<std::string> for_sinks;
  {
    std::lock_guard lock(mu_);
    pending.swap(queue_);
    for_sinks.swap(sink_queue_);
    batch_signalled_ = false;
  }
  size_t batch_size = static_cast<size_t>(std::max<int64_t>(1, batch_size_()));
  for (auto& sink : sinks_) {
    if (!for_sinks.empty()) sink->add(for_sinks);
    sink->pump(batch_size);
  }
  if (pending.empty()) return 0;
  size_t done = 0;
  try {
    for (; done < pending.size(); done += batch_size) {
      auto first = pending.begin() + static_cast<std::ptrdiff_t>(done);
      auto last = pending.begin() +
                  static_cast<std::ptrdiff_t>(std::min(pending.size(), done + batch_size));
      store_.log_append(std::vector<std::string>(first, last));
    }
  } catch (...) {
    // Unwritten records go back to the front of the storage queue for the next timed
    // flush (not an early one: a full queue would otherwise retry a failing store on every
    // call). The sinks already have them.
    std::lock_guard lock(mu_);
    batch_signalled_ = true;
    queue_.insert(queue_.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done),
                  pending.end());
    size_t max = queue_max_ ? static_cast<size_t>(std::max<int64_t>(1, queue_max_())) : 0;
    uint64_t over = max && queue_.size() > max ? queue_.size() - max : 0;
    for (uint64_t i = 0; i < over; ++i) queue_.pop_front();
    dropped_ += over;
    if (over) dropped_metric_.add(static_cast<int64_t>(over));
    written_ += done;
    throw;
  }
  {
    std::lock_guard lock(mu_);
    written_ += pending.size();
  }
  if (warned_drop_.exchange(false))
    ops::logger("CallLog")->info("storage takes call-log records again ({} dropped so far)",
                                 dropped());
  store_.log_trim(static_cast<uint64_t>(std::max<int64_t>(0, max_count_())));
  return pending.size();
}

size_t Recorder::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

uint64_t Recorder::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

uint64_t Recorder::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

}  // namespace g2a::calllog
