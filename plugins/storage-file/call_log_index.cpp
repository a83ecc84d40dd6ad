#include "call_log_index.hpp"

#include <algorithm>
#include <cmath>

namespace g2a::storage_file {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// For each interned value, whether it contains the (lower-cased) needle.
std::vector<char> containing(const std::vector<std::string>& lower_values,
                             std::string_view needle) {
  std::string lower_needle = lower_ascii(needle);
  std::vector<char> hit(lower_values.size());
  for (std::size_t i = 0; i < lower_values.size(); ++i)
    hit[i] = lower_values[i].find(lower_needle) != std::string::npos;
  return hit;
}

// The first millisecond of ts's bucket on a clock utc_offset_ms ahead of UTC.
int64_t bucket_start(int64_t ts, int64_t bucket_ms, int64_t utc_offset_ms) {
  int64_t local = ts + utc_offset_ms;
  int64_t n = local >= 0 ? local / bucket_ms : (local - bucket_ms + 1) / bucket_ms;
  return n * bucket_ms - utc_offset_ms;
}

}  // namespace

double median(std::vector<double>& v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2) return *mid;
  double lower = *std::max_element(v.begin(), mid);
  return (lower + *mid) / 2;
}

uint32_t CallLogIndex::Interned::id_of(std::string value) {
  auto it = ids.find(value);
  if (it != ids.end()) return it->second;
  auto id = static_cast<uint32_t>(values.size());
  values.push_back(value);
  ids.emplace(std::move(value), id);
  return id;
}

void CallLogIndex::add(CallLogRecord record, uint64_t offset) {
  uint32_t sso_id = ssos_.id_of(lower_ascii(record.sso));
  uint32_t model_id = models_.id_of(record.model);
  if (model_id == models_lower_.size()) {
    models_lower_.push_back(lower_ascii(record.model));
    model_refs_.push_back(0);
  }
  ++model_refs_[model_id];
  std::size_t pos = timestamps_.size();
  if (size() > 0 && timestamps_.back() > record.timestamp) {
    // Out of order (a long call finishes after later ones started): insert after equal
    // timestamps; usually near the end, so little moves.
    pos = static_cast<std::size_t>(
        std::upper_bound(timestamps_.begin() + static_cast<std::ptrdiff_t>(head_),
                         timestamps_.end(), record.timestamp) -
        timestamps_.begin());
  }
  insert_at(pos, record, sso_id, model_id, offset);
}

void CallLogIndex::insert_at(std::size_t pos, CallLogRecord& record, uint32_t sso_id,
                             uint32_t model_id, uint64_t offset) {
  auto at = [pos](auto& column) { return column.begin() + static_cast<std::ptrdiff_t>(pos); };
  timestamps_.insert(at(timestamps_), record.timestamp);
  sso_ids_.insert(at(sso_ids_), sso_id);
  model_ids_.insert(at(model_ids_), model_id);
  successes_.insert(at(successes_), record.success ? 1 : 0);
  response_times_.insert(at(response_times_), record.response_time);
  offsets_.insert(at(offsets_), offset);
  lines_.insert(at(lines_), std::move(record.line));
}

std::pair<std::size_t, std::size_t> CallLogIndex::time_range(const LogFilter& filter) const {
  auto begin = timestamps_.begin() + static_cast<std::ptrdiff_t>(head_);
  auto first = begin;
  auto last = timestamps_.end();
  if (filter.start_ms != 0) first = std::lower_bound(begin, last, filter.start_ms);
  if (filter.end_ms != 0) last = std::upper_bound(first, timestamps_.end(), filter.end_ms);
  return {static_cast<std::size_t>(first - timestamps_.begin()),
          static_cast<std::size_t>(std::max(first, last) - timestamps_.begin())};
}

CallLogIndex::Match CallLogIndex::matcher(const LogFilter& filter) const {
  Match m;
  m.success = filter.success;
  m.by_sso = !filter.sso.empty();
  m.by_model = !filter.model.empty();
  if (m.by_sso) m.sso_ok = containing(ssos_.values, filter.sso);
  if (m.by_model) m.model_ok = containing(models_lower_, filter.model);
  return m;
}

uint64_t CallLogIndex::query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                             std::vector<std::string>& page) const {
  auto [first, last] = time_range(filter);
  Match m = matcher(filter);
  if (!m.any()) {
    // Only time bounds: the range is the answer, no scan needed.
    uint64_t total = last - first;
    for (uint64_t i = offset; i < total && page.size() < limit; ++i)
      page.push_back(lines_[last - 1 - i]);
    return total;
  }
  uint64_t total = 0;
  for (std::size_t i = last; i > first; --i) {
    if (!matches(m, i - 1)) continue;
    if (total >= offset && page.size() < limit) page.push_back(lines_[i - 1]);
    ++total;
  }
  return total;
}

LogStats CallLogIndex::stats(const LogFilter& filter, int64_t today_start_ms) const {
  auto [first, last] = time_range(filter);
  Match m = matcher(filter);
  bool any = m.any();
  LogStats out;
  for (std::size_t i = first; i < last; ++i) {
    if (any && !matches(m, i)) continue;
    ++out.total;
    out.success += successes_[i];
    out.today_total += timestamps_[i] >= today_start_ms;
  }
  out.failed = out.total - out.success;
  return out;
}

std::vector<LogBucket> CallLogIndex::timeseries(const LogFilter& filter, int64_t bucket_ms,
                                                int64_t utc_offset_ms) const {
  auto [first, last] = time_range(filter);
  Match m = matcher(filter);
  bool any = m.any();
  std::vector<LogBucket> out;
  std::vector<double> latencies;  // of the bucket being filled
  int64_t bucket_end = 0;         // of the bucket being filled
  auto close_bucket = [&] {
    if (out.empty()) return;
    out.back().median_latency = median(latencies);
    latencies.clear();
  };
  // Positions are in timestamp order, so each bucket is one run of them.
  for (std::size_t i = first; i < last; ++i) {
    if (any && !matches(m, i)) continue;
    int64_t ts = timestamps_[i];
    if (out.empty() || ts >= bucket_end) {
      close_bucket();
      int64_t start = bucket_start(ts, bucket_ms, utc_offset_ms);
      bucket_end = start + bucket_ms;
      out.push_back(LogBucket{start, 0, 0, 0});
    }
    LogBucket& b = out.back();
    ++b.calls;
    b.failures += successes_[i] ? 0 : 1;
    if (!std::isnan(response_times_[i])) latencies.push_back(response_times_[i]);
  }
  close_bucket();
  return out;
}

std::vector<std::string> CallLogIndex::models() const {
  std::vector<std::string> out;
  for (std::size_t id = 0; id < model_refs_.size(); ++id)
    if (model_refs_[id] > 0 && !models_.values[id].empty()) out.push_back(models_.values[id]);
  std::sort(out.begin(), out.end());
  return out;
}

uint64_t CallLogIndex::excess_over(uint64_t keep_newest) const {
  return size() > keep_newest ? size() - keep_newest : 0;
}

std::vector<CallLogIndex::LineSpan> CallLogIndex::drop_oldest(uint64_t count) {
  count = std::min<uint64_t>(count, size());
  std::vector<LineSpan> spans;
  spans.reserve(count);
  for (std::size_t i = head_; i < head_ + count; ++i) {
    --model_refs_[model_ids_[i]];
    spans.push_back({offsets_[i], lines_[i].size()});
    std::string().swap(lines_[i]);  // the memory goes now, the slot later
  }
  head_ += count;
  // Erase the dropped slots in bulk once they are a good part of the columns, so that a
  // trim of a few records per flush does not move a million entries each time.
  if (head_ >= 4096 && head_ * 4 >= timestamps_.size()) {
    auto erase_head = [this](auto& column) {
      column.erase(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(head_));
    };
    erase_head(timestamps_);
    erase_head(sso_ids_);
    erase_head(model_ids_);
    erase_head(successes_);
    erase_head(response_times_);
    erase_head(offsets_);
    erase_head(lines_);
    head_ = 0;
  }
  if (size() == 0) {
    // Cleared: give the memory back.
    *this = CallLogIndex();
  }
  return spans;
}

void CallLogIndex::for_each_line(const std::function<void(std::string_view)>& fn) const {
  for (std::size_t i = head_; i < lines_.size(); ++i) fn(lines_[i]);
}

void CallLogIndex::renumber_offsets() {
  uint64_t offset = 0;
  for (std::size_t i = head_; i < lines_.size(); ++i) {
    offsets_[i] = offset;
    offset += lines_[i].size() + 1;
  }
}

}  // namespace g2a::storage_file
