// Takes finished call records off the request path into a memory queue and writes them
// to storage in batches of global.log_batch_size; retention keeps the newest
// global.log_max_count records.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace g2a::ops {
class Counter;
}
namespace g2a::storage {
class Store;
}

namespace g2a::calllog {

struct CallRecord;
class SinkFeed;

class Recorder {
 public:
  // max_count and batch_size are read when used, so a settings change applies at once.
  Recorder(
      storage::Store& store, std::function<int64_t()> max_count,
      std::function<int64_t()> batch_size = [] { return int64_t{500}; });
  ~Recorder();

  // A loaded log-sink plugin: each flush hands it the new records (before storage, so a
  // storage retry does not send them twice) and submits a batch when it is ready.
  void add_sink(std::unique_ptr<SinkFeed> sink);
  const std::vector<std::unique_ptr<SinkFeed>>& sinks() const { return sinks_; }

  // Called (on the submitting thread, outside the lock) when the queue reaches a batch:
  // it should start a flush elsewhere, never run one. Set before requests start.
  void on_batch_ready(std::function<void()> wake) { batch_ready_ = std::move(wake); }

  // Records held for storage past this many (read when used) drop the oldest: a store
  // that is down for long must not exhaust memory. Set before requests start.
  void set_queue_max(std::function<int64_t()> queue_max) { queue_max_ = std::move(queue_max); }

  // Cheap and non-blocking: serialises the record and queues it.
  void submit(const CallRecord& record);

  // Blocking (call on the blocking pool or at shutdown): writes every queued record in
  // batches of batch_size, then trims to max_count; pumps every sink. Returns the number
  // written.
  size_t flush_blocking();

  size_t queued() const;
  uint64_t written() const;
  uint64_t dropped() const;  // records dropped because the queue was full

 private:
  storage::Store& store_;
  std::function<int64_t()> max_count_;
  std::function<int64_t()> batch_size_;
  std::function<void()> batch_ready_;
  std::function<int64_t()> queue_max_;
  ops::Counter& dropped_metric_;
  std::atomic<bool> warned_drop_{false};
  std::vector<std::unique_ptr<SinkFeed>> sinks_;  // added before requests start
  mutable std::mutex mu_;
  std::deque<std::string> queue_;        // for storage, including records to write again
  std::vector<std::string> sink_queue_;  // for the sinks: each record once, no sso_full
  uint64_t dropped_ = 0;
  bool batch_signalled_ = false;  // batch_ready_ called since the last flush took the queue
  std::mutex flush_mu_;           // one flush at a time keeps batches in arrival order
  uint64_t written_ = 0;
};

}  // namespace g2a::calllog
