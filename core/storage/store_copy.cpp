#include "core/storage/store_copy.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <set>

#include "core/storage/store.hpp"

namespace g2a::storage {
namespace {

constexpr size_t kClearBatch = 500;

g2a_log_filter every_record(int64_t end_ms) {
  return g2a_log_filter{sizeof(g2a_log_filter), {nullptr, 0}, {nullptr, 0}, -1, 0, end_ms};
}

uint64_t log_total(Store& store) {
  return store.log_query(every_record(0), 0, 1).total;
}

// The record's "timestamp" (ms), or 0 when it has none.
int64_t timestamp_of(const std::string& record) {
  boost::system::error_code ec;
  auto v = boost::json::parse(record, ec);
  if (ec || !v.is_object()) return 0;
  const auto* ts = v.as_object().if_contains("timestamp");
  if (!ts) return 0;
  if (ts->is_int64()) return ts->as_int64();
  if (ts->is_uint64()) return static_cast<int64_t>(ts->as_uint64());
  if (ts->is_double()) return static_cast<int64_t>(ts->as_double());
  return 0;
}

void copy_collection(Store& from, Store& to, const std::string& name, size_t batch,
                     StoreCounts& copied) {
  Documents docs = from.list(name);
  if (docs.empty()) return;
  if (size_t already = to.list(name).size())
    throw CopyError(fmt::format("the target already holds {} document(s) in {}", already, name));
  std::vector<DocWrite> writes;
  writes.reserve(std::min(batch, docs.size()));
  for (auto& [key, json] : docs) {
    writes.push_back({name, std::move(key), std::move(json), false});
    if (writes.size() >= batch) {
      to.write_batch(writes);
      writes.clear();
    }
  }
  if (!writes.empty()) to.write_batch(writes);
  copied.documents[name] = docs.size();
}

// Oldest first, a page at a time. Offsets count from the newest record, so the pages
// are read from the end of the log backwards and each is reversed before it is appended:
// the target then holds the records in the source's order, ties included.
uint64_t copy_call_log(Store& from, Store& to, size_t page_size) {
  auto newest = from.log_query(every_record(0), 0, 1);
  if (newest.total == 0) return 0;
  if (uint64_t already = log_total(to))
    throw CopyError(fmt::format("the target already holds {} call-log record(s)", already));
  int64_t end_ms = newest.records.empty() ? 0 : timestamp_of(newest.records.front());
  const g2a_log_filter filter = every_record(std::max<int64_t>(end_ms, 0));
  uint64_t remaining = from.log_query(filter, 0, 1).total;
  uint64_t copied = 0;
  const uint64_t page = std::max<size_t>(page_size, 1);
  while (remaining > 0) {
    uint64_t n = std::min(page, remaining);
    auto got = from.log_query(filter, remaining - n, n);
    if (got.records.size() != n)
      throw CopyError(fmt::format(
          "the source's call log changed during the copy (asked for {} records at offset {}, "
          "got {}): stop the gateways that write to it and copy again",
          n, remaining - n, got.records.size()));
    std::reverse(got.records.begin(), got.records.end());
    to.log_append(got.records);
    remaining -= n;
    copied += n;
  }
  return copied;
}

}  // namespace

const std::vector<std::string>& known_collections() {
  static const std::vector<std::string> names = {
      "proxies", "proxy_assignments", "sessions", "settings", "tokens", "video_tasks"};
  return names;
}

uint64_t StoreCounts::total_documents() const {
  uint64_t n = 0;
  for (const auto& [name, count] : documents) n += count;
  return n;
}

std::string StoreCounts::describe() const {
  // The gateway's own collections first, in the order people look for them.
  static const std::vector<std::string> kFirst = {
      "tokens", "settings", "proxies", "proxy_assignments", "video_tasks", "sessions"};
  std::vector<std::string> order = kFirst;
  for (const auto& [name, count] : documents)
    if (std::find(kFirst.begin(), kFirst.end(), name) == kFirst.end()) order.push_back(name);
  std::string out;
  for (const auto& name : order) {
    auto it = documents.find(name);
    if (it == documents.end() || it->second == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", it->second, name);
  }
  if (log_records > 0 || out.empty()) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} call-log records", log_records);
  }
  return out;
}

std::vector<std::string> collection_names(Store& store) {
  std::set<std::string> names(known_collections().begin(), known_collections().end());
  if (auto listed = store.collections()) names.insert(listed->begin(), listed->end());
  return {names.begin(), names.end()};
}

StoreCounts count_store(Store& store) {
  StoreCounts counts;
  for (const auto& name : collection_names(store))
    if (size_t n = store.list(name).size()) counts.documents[name] = n;
  counts.log_records = log_total(store);
  return counts;
}

StoreCounts copy_store(Store& from, Store& to, const CopyOptions& options) {
  StoreCounts copied;
  for (const auto& name : collection_names(from))
    if (!options.include || options.include(name))
      copy_collection(from, to, name, std::max<size_t>(options.doc_batch, 1), copied);
  if (options.copy_logs) copied.log_records = copy_call_log(from, to, options.log_page);
  to.flush();

  // The target, read back, holds exactly what was copied into it.
  std::string mismatches;
  for (const auto& [name, count] : copied.documents) {
    size_t now = to.list(name).size();
    if (now != count)
      mismatches += fmt::format("{}{}: {} copied, {} in the target", mismatches.empty() ? "" : "; ",
                                name, count, now);
  }
  if (options.copy_logs) {
    uint64_t now = log_total(to);
    if (now != copied.log_records)
      mismatches += fmt::format("{}call log: {} copied, {} in the target",
                                mismatches.empty() ? "" : "; ", copied.log_records, now);
  }
  if (!mismatches.empty()) throw CopyError("verification failed: " + mismatches);
  return copied;
}

void clear_store(Store& store) {
  for (const auto& name : collection_names(store)) {
    std::vector<DocWrite> deletes;
    for (auto& [key, json] : store.list(name)) {
      deletes.push_back({name, std::move(key), "", true});
      if (deletes.size() >= kClearBatch) {
        store.write_batch(deletes);
        deletes.clear();
      }
    }
    if (!deletes.empty()) store.write_batch(deletes);
  }
  store.log_trim(0);
  store.flush();
}

}  // namespace g2a::storage
