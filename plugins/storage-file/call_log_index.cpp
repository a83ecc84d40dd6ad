#include "call_log_index.hpp"

#include <algorithm>

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

}  // namespace

uint32_t CallLogIndex::Interned::id_of(std::string value) {
  auto it = ids.find(value);
  if (it != ids.end()) return it->second;
  auto id = static_cast<uint32_t>(values.size());
  values.push_back(value);
  ids.emplace(std::move(value), id);
  return id;
}

void CallLogIndex::add(CallLogRecord record) {
  uint32_t sso_id = ssos_.id_of(lower_ascii(record.sso));
  uint32_t model_id = models_.id_of(record.model);
  if (model_id == models_lower_.size()) {
    models_lower_.push_back(lower_ascii(record.model));
    model_refs_.push_back(0);
  }
  ++model_refs_[model_id];
  Entry entry{record.timestamp, sso_id, model_id, record.success, std::move(record.line)};
  if (entries_.empty() || entries_.back().timestamp <= entry.timestamp) {
    entries_.push_back(std::move(entry));
    return;
  }
  // Out-of-order arrivals are rare (clock steps, imports); insert after equal timestamps.
  auto at = std::upper_bound(entries_.begin(), entries_.end(), entry.timestamp,
                             [](int64_t ts, const Entry& e) { return ts < e.timestamp; });
  entries_.insert(at, std::move(entry));
}

std::pair<std::size_t, std::size_t> CallLogIndex::time_range(const LogFilter& filter) const {
  auto first = entries_.begin();
  auto last = entries_.end();
  if (filter.start_ms != 0)
    first = std::lower_bound(entries_.begin(), entries_.end(), filter.start_ms,
                             [](const Entry& e, int64_t ts) { return e.timestamp < ts; });
  if (filter.end_ms != 0)
    last = std::upper_bound(first, entries_.end(), filter.end_ms,
                            [](int64_t ts, const Entry& e) { return ts < e.timestamp; });
  return {static_cast<std::size_t>(first - entries_.begin()),
          static_cast<std::size_t>(std::max(first, last) - entries_.begin())};
}

std::function<bool(const CallLogIndex::Entry&)> CallLogIndex::matcher(
    const LogFilter& filter) const {
  std::vector<char> sso_ok, model_ok;
  bool by_sso = !filter.sso.empty();
  bool by_model = !filter.model.empty();
  if (by_sso) sso_ok = containing(ssos_.values, filter.sso);
  if (by_model) model_ok = containing(models_lower_, filter.model);
  int success = filter.success;
  if (!by_sso && !by_model && success < 0) return nullptr;
  return [=, sso_ok = std::move(sso_ok), model_ok = std::move(model_ok)](const Entry& e) {
    if (success >= 0 && e.success != (success == 1)) return false;
    if (by_sso && !sso_ok[e.sso_id]) return false;
    if (by_model && !model_ok[e.model_id]) return false;
    return true;
  };
}

uint64_t CallLogIndex::query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                             std::vector<std::string>& page) const {
  auto [first, last] = time_range(filter);
  auto match = matcher(filter);
  if (!match) {
    // Only time bounds: the range is the answer, no scan needed.
    uint64_t total = last - first;
    for (uint64_t i = offset; i < total && page.size() < limit; ++i)
      page.push_back(entries_[last - 1 - i].line);
    return total;
  }
  uint64_t total = 0;
  for (std::size_t i = last; i > first; --i) {
    const Entry& e = entries_[i - 1];
    if (!match(e)) continue;
    if (total >= offset && page.size() < limit) page.push_back(e.line);
    ++total;
  }
  return total;
}

LogStats CallLogIndex::stats(const LogFilter& filter, int64_t today_start_ms) const {
  auto [first, last] = time_range(filter);
  auto match = matcher(filter);
  LogStats out;
  for (std::size_t i = first; i < last; ++i) {
    const Entry& e = entries_[i];
    if (match && !match(e)) continue;
    ++out.total;
    if (e.success) ++out.success;
    if (e.timestamp >= today_start_ms) ++out.today_total;
  }
  out.failed = out.total - out.success;
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
  return entries_.size() > keep_newest ? entries_.size() - keep_newest : 0;
}

void CallLogIndex::drop_oldest(uint64_t count) {
  count = std::min<uint64_t>(count, entries_.size());
  for (uint64_t i = 0; i < count; ++i) --model_refs_[entries_[i].model_id];
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(count));
}

void CallLogIndex::for_each_line(uint64_t skip,
                                 const std::function<void(std::string_view)>& fn) const {
  for (std::size_t i = skip; i < entries_.size(); ++i) fn(entries_[i].line);
}

}  // namespace g2a::storage_file
