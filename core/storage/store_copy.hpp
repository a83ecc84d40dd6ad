// Copies the whole state of one Store into another (backup, restore, the move from data/
// into a database): every document collection, and every call-log record oldest first, a
// page at a time, so that a log of any size never sits in memory at once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace g2a::storage {

class Store;

// The collections the gateway stores by name, for a plugin that cannot list its own.
const std::vector<std::string>& known_collections();

// What a store holds: documents per non-empty collection, and call-log records.
struct StoreCounts {
  std::map<std::string, uint64_t> documents;
  uint64_t log_records = 0;

  uint64_t total_documents() const;
  bool empty() const { return total_documents() == 0 && log_records == 0; }
  // "3 tokens, 2 proxies, 1 proxy_assignments, 5 call-log records" ("nothing" when empty).
  std::string describe() const;
};

// A copy that did not produce what it should have, or a source that changed under it.
class CopyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The collections of a store: those it lists (ABI 1.4 doc_collections) and the known
// names, sorted, without duplicates.
std::vector<std::string> collection_names(Store& store);

// Counts documents per collection and the call-log records.
StoreCounts count_store(Store& store);

struct CopyOptions {
  size_t log_page = 1000;  // call-log records read and appended at a time
  size_t doc_batch = 500;  // documents per write_batch
  bool copy_logs = true;   // false: documents only
  // Which collections to copy; empty = all of them.
  std::function<bool(const std::string& collection)> include;
};

// Copies `from` into `to`, flushes `to`, then counts `to` again and throws CopyError when
// a copied collection or the call log does not hold exactly what was copied. Every
// collection copied, and the call log when copied, must be empty in `to` beforehand
// (CopyError otherwise: the caller clears the target or skips those). Storage failures
// surface as StorageError. Returns what was copied.
//
// The call log is read up to the newest record present when the copy starts (by its
// timestamp), so records a running gateway appends meanwhile are left out rather than
// shifting the pages; documents are copied as listed at the time of each collection.
StoreCounts copy_store(Store& from, Store& to, const CopyOptions& options = {});

// Deletes every document and every call-log record of a store, then flushes it.
void clear_store(Store& store);

}  // namespace g2a::storage
