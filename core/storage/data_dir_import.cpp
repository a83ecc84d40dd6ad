#include "core/storage/data_dir_import.hpp"

#include <unistd.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "core/ops/logging.hpp"
#include "core/runtime/clock.hpp"
#include "core/storage/directory_store.hpp"
#include "core/storage/store.hpp"

namespace g2a::storage {
namespace fs = std::filesystem;
namespace {

constexpr const char* kClaim = "migrate_from_files";
// Long enough for a large call log; an instance that dies holding it delays the others
// by at most this much.
constexpr uint32_t kLeaseMs = 10 * 60 * 1000;
constexpr auto kPollInterval = std::chrono::milliseconds(250);

std::string claim_owner() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid());
}

bool has_marker(Store& store) {
  return store.get(kMetaCollection, kMigratedFromFiles).has_value();
}

// Holds the claim while the import runs, so two instances never import twice.
class ClaimGuard {
 public:
  ClaimGuard(Store& store, std::string owner) : store_(store), owner_(std::move(owner)) {}
  ~ClaimGuard() {
    try {
      store_.release(kClaim, owner_);
    } catch (const std::exception&) {
      // The lease expires by itself.
    }
  }
  ClaimGuard(const ClaimGuard&) = delete;
  ClaimGuard& operator=(const ClaimGuard&) = delete;

 private:
  Store& store_;
  std::string owner_;
};

// True when this instance holds the claim, false when another instance wrote the marker
// meanwhile.
bool take_claim(Store& store, const std::string& owner) {
  auto log = ops::logger("Storage");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kLeaseMs) +
                  std::chrono::seconds(30);
  bool said = false;
  while (!store.claim(kClaim, owner, kLeaseMs)) {
    if (has_marker(store)) return false;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("another instance has held the data/ import claim for too long");
    if (!said) log->info("another instance is importing data/ into the store: waiting for it");
    said = true;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

}  // namespace

void write_import_marker(Store& store, const std::string& source, const StoreCounts& imported) {
  boost::json::object counts;
  for (const auto& [name, n] : imported.documents) counts[name] = n;
  counts["call_logs"] = imported.log_records;
  boost::json::object doc;
  doc["at_ms"] = runtime::now_ms();
  doc["source"] = source;
  doc["by"] = claim_owner();
  doc["imported"] = std::move(counts);
  store.put(kMetaCollection, kMigratedFromFiles, boost::json::serialize(doc));
  store.flush();
}

namespace {

// import_data_dir_once once the cheap checks passed.
std::optional<StoreCounts> import_once(Store& store, const std::string& data_dir,
                                       const DirectoryStoreOptions& options) {
  if (has_marker(store)) return std::nullopt;
  auto log = ops::logger("Storage");
  const std::string owner = claim_owner();
  if (!take_claim(store, owner)) return std::nullopt;
  ClaimGuard held(store, owner);
  if (has_marker(store)) return std::nullopt;

  DirectoryStore files(options, data_dir);
  const StoreCounts before = count_store(store);
  const StoreCounts offered = count_store(files.store());
  auto target_has = [&](const std::string& name) {
    auto it = before.documents.find(name);
    return it != before.documents.end() && it->second > 0;
  };
  for (const auto& [name, n] : offered.documents)
    if (name != kMetaCollection && target_has(name))
      log->info("kept the store's {} {}; the {} in {} were not imported", before.documents.at(name),
                name, n, data_dir);
  if (offered.log_records > 0 && before.log_records > 0)
    log->info("kept the store's {} call-log records; the {} in {} were not imported",
              before.log_records, offered.log_records, data_dir);

  CopyOptions copy;
  // Our own marker is written below; one found among the files belongs to another store.
  copy.include = [&](const std::string& name) {
    return name != kMetaCollection && !target_has(name);
  };
  copy.copy_logs = before.log_records == 0;
  StoreCounts imported = copy_store(files.store(), store, copy);
  files.close();

  write_import_marker(store, data_dir, imported);
  log->info("imported {} from {} (once)", imported.describe(), data_dir);
  return imported;
}

}  // namespace

bool has_data_files(const std::string& data_dir) {
  static constexpr const char* kFiles[] = {"token.json",       "proxy_state.json",
                                           "call_logs.json",   "call_logs.ndjson",
                                           "video_tasks.json", "setting.overrides.json"};
  std::error_code ec;
  for (const char* f : kFiles)
    if (fs::is_regular_file(fs::path(data_dir) / f, ec)) return true;
  return false;
}

std::optional<StoreCounts> import_data_dir_once(Store& store, const std::string& data_dir,
                                                const DirectoryStoreOptions& options) {
  if (!store.shared() || !has_data_files(data_dir)) return std::nullopt;
  try {
    return import_once(store, data_dir, options);
  } catch (const std::exception& e) {
    throw std::runtime_error("importing " + data_dir + " into " + store.describe() + ": " +
                             e.what() + " (nothing is marked done: the next start tries again)");
  }
}

}  // namespace g2a::storage
