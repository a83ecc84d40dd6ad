// The call log in memory, ordered by timestamp, shaped for fast filtered queries over a
// million records: each record keeps its timestamp, success flag and interned ids of its
// lower-cased sso and its model next to the raw line, so a query never parses JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "call_log_record.hpp"

namespace g2a::storage_file {

class CallLogIndex {
 public:
  // Keeps timestamp order; records with equal timestamps stay in arrival order.
  void add(CallLogRecord record);
  void reserve(std::size_t n) { entries_.reserve(n); }
  std::size_t size() const { return entries_.size(); }

  // Lines of the matching records, newest first, skipping `offset`, at most `limit`.
  // Returns how many records match in all.
  uint64_t query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                 std::vector<std::string>& page) const;
  LogStats stats(const LogFilter& filter, int64_t today_start_ms) const;
  // Distinct non-empty models of the records present, sorted.
  std::vector<std::string> models() const;

  // How many of the oldest records trimming to keep_newest would drop.
  uint64_t excess_over(uint64_t keep_newest) const;
  // Drops the `count` oldest records.
  void drop_oldest(uint64_t count);
  // Every line from the first record kept after dropping `skip`, oldest first.
  void for_each_line(uint64_t skip, const std::function<void(std::string_view)>& fn) const;

 private:
  struct Entry {
    int64_t timestamp;
    uint32_t sso_id;
    uint32_t model_id;
    bool success;
    std::string line;
  };

  // Dense ids for repeated strings: there are few distinct tokens and models.
  struct Interned {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string> values;
    uint32_t id_of(std::string value);
  };

  // The [first, last) range of entries inside the filter's time bounds.
  std::pair<std::size_t, std::size_t> time_range(const LogFilter& filter) const;
  // A predicate over entries for the filter's sso, model and success constraints.
  std::function<bool(const Entry&)> matcher(const LogFilter& filter) const;

  std::vector<Entry> entries_;
  Interned ssos_;                          // lower-cased
  Interned models_;                        // as recorded
  std::vector<std::string> models_lower_;  // by model id
  std::vector<uint64_t> model_refs_;       // records per model id
};

}  // namespace g2a::storage_file
