// Where state events enter: emit() hands one to every log sink's queue (not to call-log
// storage); the sinks send it with their next batch. Issues 6 (proxy health) and 7 (video
// tasks) only call emit().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/calllog/state_event.hpp"

namespace g2a::calllog {

class SinkFeed;

class EventFeed {
 public:
  // sinks is the recorder's list (Recorder::sinks()), complete before requests start.
  explicit EventFeed(const std::vector<std::unique_ptr<SinkFeed>>& sinks) : sinks_(sinks) {}

  // Cheap and non-blocking, callable from any thread; fills id and timestamp when unset.
  void emit(StateEvent e);
  uint64_t emitted() const { return emitted_.load(); }

 private:
  const std::vector<std::unique_ptr<SinkFeed>>& sinks_;
  std::atomic<uint64_t> emitted_{0};
};

}  // namespace g2a::calllog
