// Takes finished call records off the request path into a memory queue and writes them
// to storage in batches; retention keeps the newest global.log_max_count records.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace g2a::storage {
class Store;
}

namespace g2a::calllog {

struct CallRecord;

class Recorder {
 public:
  // max_count is read at each flush, so a settings change applies at once.
  Recorder(storage::Store& store, std::function<int64_t()> max_count);

  // Cheap and non-blocking: serialises the record and queues it.
  void submit(const CallRecord& record);

  // Blocking (call on the blocking pool or at shutdown): writes every queued record in
  // batches of batch_size, then trims to max_count. Returns the number written.
  size_t flush_blocking(size_t batch_size = 500);

  size_t queued() const;
  uint64_t written() const;

 private:
  storage::Store& store_;
  std::function<int64_t()> max_count_;
  mutable std::mutex mu_;
  std::vector<std::string> queue_;
  std::mutex flush_mu_;  // one flush at a time keeps batches in arrival order
  uint64_t written_ = 0;
};

}  // namespace g2a::calllog
