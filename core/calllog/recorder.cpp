#include "core/calllog/recorder.hpp"

#include <algorithm>

#include "core/calllog/call_record.hpp"
#include "core/calllog/sink_feed.hpp"
#include "core/storage/store.hpp"

namespace g2a::calllog {

Recorder::Recorder(storage::Store& store, std::function<int64_t()> max_count,
                   std::function<int64_t()> batch_size)
    : store_(store), max_count_(std::move(max_count)), batch_size_(std::move(batch_size)) {}

Recorder::~Recorder() = default;

void Recorder::add_sink(std::unique_ptr<SinkFeed> sink) {
  sinks_.push_back(std::move(sink));
}

void Recorder::submit(const CallRecord& record) {
  std::string line = to_json(record);
  std::string sink_line = sinks_.empty() ? std::string() : to_json(record, Audience::kSink);
  size_t batch = static_cast<size_t>(std::max<int64_t>(1, batch_size_()));
  bool full;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(line));
    if (!sinks_.empty()) sink_queue_.push_back(std::move(sink_line));
    full = !batch_signalled_ && queue_.size() >= batch;
    if (full) batch_signalled_ = true;
  }
  if (full && batch_ready_) batch_ready_();
}

size_t Recorder::flush_blocking() {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<std::string> pending, for_sinks;
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
    written_ += done;
    throw;
  }
  {
    std::lock_guard lock(mu_);
    written_ += pending.size();
  }
  store_.log_trim(static_cast<uint64_t>(std::max<int64_t>(0, max_count_())));
  return pending.size();
}

size_t Recorder::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

uint64_t Recorder::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

}  // namespace g2a::calllog
