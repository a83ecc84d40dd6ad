// Hands call-log records to one log-sink plugin in batches (g2a_log_sink_v1.submit): the
// host's side of the ABI, with its queue, one batch in flight, backoff on G2A_RETRY and
// counters of what was delivered, retried and dropped (GET /api/sinks shows them).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <grok2api/plugin.h>

namespace g2a::ops {
class Counter;
}

namespace g2a::calllog {

class SinkFeed {
 public:
  using Clock = std::chrono::steady_clock;
  struct Counters {
    uint64_t delivered = 0;  // records the sink accepted (G2A_OK)
    uint64_t retried = 0;    // batches sent again (G2A_RETRY or a failed submit)
    uint64_t dropped = 0;    // records lost (G2A_DROP, or the queue over max_pending)
  };
  struct LastError {
    std::string message;  // the sink's words (URLs without credentials or query); "" = none
    int64_t at_ms = 0;    // when, ms since the epoch
  };

  SinkFeed(std::string id, const g2a_log_sink_v1* table, void* instance,
           size_t max_pending = 10000);

  const std::string& id() const { return id_; }
  // Queues records (call records and state events); the oldest not in flight are dropped
  // past max_pending, each counted.
  void add(const std::vector<std::string>& records);
  // global.log_sink_queue_max changed: applies at once (drops the excess, counted).
  void set_max_pending(size_t max_pending);
  size_t max_pending() const;
  // Submits the next batch unless one is in flight or the backoff has not passed.
  // Returns whether a batch went out.
  bool pump(size_t batch_size, Clock::time_point now = Clock::now());

  Counters counters() const;
  LastError last_error() const;
  size_t pending() const;  // waiting records, the batch in flight included
  bool in_flight() const;
  // Before this, pump sends nothing (the jittered backoff after a retry); epoch when none.
  Clock::time_point retry_at() const;

 private:
  static void on_done(void* user, g2a_status st, g2a_str message);
  void finish(g2a_status st, std::string_view message);
  void trim_locked();
  void note_error_locked(std::string message);

  std::string id_;
  const g2a_log_sink_v1* table_;
  void* instance_;
  size_t max_pending_;
  mutable std::mutex mu_;
  std::deque<std::string> pending_;  // the batch in flight is at the front
  size_t in_flight_ = 0;             // records of that batch; 0 when none
  Clock::time_point retry_at_{};
  std::chrono::milliseconds backoff_{0};
  Counters counters_;
  LastError last_error_;
  // g2a_log_sink_records_total{sink,outcome} and g2a_log_sink_retries_total{sink}.
  ops::Counter& delivered_metric_;
  ops::Counter& dropped_metric_;
  ops::Counter& retried_metric_;
};

}  // namespace g2a::calllog
