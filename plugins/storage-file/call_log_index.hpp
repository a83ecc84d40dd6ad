// The call log in memory, ordered by timestamp, shaped for fast filtered queries over a
// million records: each record keeps its timestamp, success flag, response time and
// interned ids of its lower-cased sso and its model next to the raw line, so a query never
// parses JSON. They are kept column by column, each column one contiguous array: a scan
// reads only the few MB of the columns it tests (a million records scattered over a
// GB-sized heap cost a TLB miss per record, which is slow in a virtual machine).
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

// The median of a bucket's latencies; of an even count, the mean of the two middle values.
// The database backends use it too, so every backend reports the same value.
double median(std::vector<double>& values);

class CallLogIndex {
 public:
  // Keeps timestamp order; records with equal timestamps stay in arrival order.
  // `offset` is where the record's line starts in call_logs.ndjson.
  void add(CallLogRecord record, uint64_t offset);
  std::size_t size() const { return timestamps_.size() - head_; }

  // Lines of the matching records, newest first, skipping `offset`, at most `limit`.
  // Returns how many records match in all.
  uint64_t query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                 std::vector<std::string>& page) const;
  LogStats stats(const LogFilter& filter, int64_t today_start_ms) const;
  // Matching records per bucket (see g2a_storage_v1::log_timeseries), oldest first.
  std::vector<LogBucket> timeseries(const LogFilter& filter, int64_t bucket_ms,
                                    int64_t utc_offset_ms) const;
  // Distinct non-empty models of the records present, sorted.
  std::vector<std::string> models() const;

  // How many of the oldest records trimming to keep_newest would drop.
  uint64_t excess_over(uint64_t keep_newest) const;
  // A record's line in the file: where it starts, and its length without the newline.
  struct LineSpan {
    uint64_t offset, length;
  };
  // Drops the `count` oldest records; returns where their lines are.
  std::vector<LineSpan> drop_oldest(uint64_t count);
  // Every line, oldest first.
  void for_each_line(const std::function<void(std::string_view)>& fn) const;
  // After the file was rewritten with for_each_line's lines, one per line: their offsets.
  void renumber_offsets();

 private:
  // Dense ids for repeated strings: there are few distinct tokens and models.
  struct Interned {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string> values;
    uint32_t id_of(std::string value);
  };

  // What a filter asks beyond its time range, with the interned values it accepts.
  struct Match {
    int success = -1;
    bool by_sso = false, by_model = false;
    std::vector<char> sso_ok, model_ok;  // by interned id
    bool any() const { return success >= 0 || by_sso || by_model; }
  };

  // The [first, last) positions (in the columns) inside the filter's time bounds.
  std::pair<std::size_t, std::size_t> time_range(const LogFilter& filter) const;
  Match matcher(const LogFilter& filter) const;
  bool matches(const Match& m, std::size_t i) const {
    if (m.success >= 0 && successes_[i] != (m.success == 1)) return false;
    if (m.by_sso && !m.sso_ok[sso_ids_[i]]) return false;
    if (m.by_model && !m.model_ok[model_ids_[i]]) return false;
    return true;
  }
  void insert_at(std::size_t pos, CallLogRecord& record, uint32_t sso_id, uint32_t model_id,
                 uint64_t offset);

  // One entry per record in every column, oldest first; positions before head_ are
  // dropped records, erased in bulk once they are many.
  std::vector<int64_t> timestamps_;
  std::vector<uint32_t> sso_ids_;
  std::vector<uint32_t> model_ids_;
  std::vector<uint8_t> successes_;
  std::vector<double> response_times_;  // kNoResponseTime when the record has none
  std::vector<uint64_t> offsets_;       // of the line in the file
  std::vector<std::string> lines_;
  std::size_t head_ = 0;

  Interned ssos_;                          // lower-cased
  Interned models_;                        // as recorded
  std::vector<std::string> models_lower_;  // by model id
  std::vector<uint64_t> model_refs_;       // records per model id
};

}  // namespace g2a::storage_file
