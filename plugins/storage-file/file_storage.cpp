#include "file_storage.hpp"

#include <fmt/format.h>

#include <exception>

#include "collection_name.hpp"
#include "durable_file.hpp"
#include "json_parse.hpp"
#include "json_writer.hpp"
#include "media_migration.hpp"

namespace g2a::storage_file {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::filesystem::path prepared_data_dir(const std::string& dir) {
  if (dir.empty()) throw g2a::Error(G2A_BAD_ARGUMENT, "the host gave an empty data directory");
  create_directories_durably(dir);
  return dir;
}

std::size_t count_with_prefix(const Collections& all, std::string_view name,
                              std::string_view prefix) {
  const Collection* c = find_collection(all, name);
  return c ? c->with_prefix(prefix).size() : 0;
}

std::size_t count_of(const Collections& all, std::string_view name) {
  const Collection* c = find_collection(all, name);
  return c ? c->size() : 0;
}

}  // namespace

FileStorage::FileStorage(g2a::Host host)
    : host_(host),
      dir_text_(host.path(G2A_PATH_DATA)),
      dir_(prepared_data_dir(dir_text_)),
      lock_(dir_),
      logs_(dir_) {
  load_documents();
  migrate_media();
  std::vector<std::string> warnings;
  CallLogLoadSummary summary = logs_.open(warnings);
  for (const auto& w : warnings) host_.warn(w);
  log_loaded(summary);
}

FileStorage::~FileStorage() {
  try {
    flush();
  } catch (const std::exception& e) {
    host_.error(fmt::format("final flush of {} failed: {}", dir_text_, e.what()));
  }
}

void FileStorage::load_documents() {
  std::vector<std::unique_ptr<DataFile>> fixed;
  fixed.push_back(make_token_file(dir_));
  fixed.push_back(make_proxy_state_file(dir_));
  fixed.push_back(make_video_task_file(dir_));
  fixed.push_back(make_settings_file(dir_));
  for (auto& file : fixed) {
    for (std::string_view c : file->collections()) owner_.emplace(std::string(c), file.get());
    load_file(*file);
    files_.push_back(std::move(file));
  }

  std::filesystem::path store = dir_ / "store";
  std::error_code ec;
  if (!std::filesystem::is_directory(store, ec)) return;
  for (const auto& entry : std::filesystem::directory_iterator(store)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::string name = entry.path().stem().string();
    if (!is_valid_collection_name(name) || is_pro_collection(name)) {
      host_.warn(fmt::format("ignoring {}: not a collection file", entry.path().string()));
      continue;
    }
    load_file(file_for(name));
  }
}

void FileStorage::load_file(DataFile& file) {
  auto content = read_file_if_exists(file.path());
  if (!content) return;
  if (is_blank(*content)) {
    host_.warn(fmt::format("{} is empty; treating it as absent", file.path().string()));
    return;
  }
  // A file we cannot read is the user's data: fail loudly rather than overwrite it later.
  boost::json::value root = parse_json(*content, file.path().string());
  std::vector<std::string> warnings;
  file.load(root, collections_, warnings);
  for (const auto& w : warnings) host_.warn(w);
}

void FileStorage::migrate_media() {
  std::filesystem::path cache_dir;
  try {
    cache_dir = host_.path(G2A_PATH_CACHE);
  } catch (const std::exception&) {
    cache_dir = dir_ / "cache";
  }
  MediaMigrationResult result =
      migrate_pro_media_cache(dir_, cache_dir, [this](std::string_view w) { host_.warn(w); });
  if (result.moved > 0 || result.skipped > 0)
    host_.info(fmt::format("moved {} cached media file(s) from {} to {} ({} left in place)",
                           result.moved, (dir_ / "temp").string(), cache_dir.string(),
                           result.skipped));
}

void FileStorage::log_loaded(const CallLogLoadSummary& logs) {
  std::size_t generic = 0;
  for (const auto& [name, c] : collections_)
    if (!is_pro_collection(name)) ++generic;
  host_.info(fmt::format(
      "loaded {}: {} tokens ({} normal, {} super), {} proxies, {} proxy assignments, "
      "{} video tasks, {} settings sections, {} other collections, {} call-log records",
      dir_text_, count_of(collections_, kTokens),
      count_with_prefix(collections_, kTokens, "ssoNormal/"),
      count_with_prefix(collections_, kTokens, "ssoSuper/"), count_of(collections_, kProxies),
      count_of(collections_, kProxyAssignments), count_of(collections_, kVideoTasks),
      count_of(collections_, kSettings), generic, logs.records));
  if (logs.imported_pro)
    host_.info(fmt::format("imported {} call-log records from the Pro call_logs.json into {}",
                           logs.records, call_log_path(dir_).string()));
}

DataFile& FileStorage::file_for(std::string_view collection) {
  auto it = owner_.find(collection);
  if (it != owner_.end()) return *it->second;
  files_.push_back(make_collection_file(dir_, collection));
  DataFile* file = files_.back().get();
  owner_.emplace(std::string(collection), file);
  return *file;
}

FileStorage::CheckedWrite FileStorage::check_write(std::string_view collection,
                                                   std::string_view key,
                                                   const std::string_view* json) {
  check_collection_name(collection);
  if (key.empty())
    throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("{}: empty document key", collection));
  CheckedWrite out{std::string(collection), std::string(key), std::nullopt};
  if (json) {
    boost::json::value doc;
    std::string error;
    // The message names the collection, never the key: token keys are credentials.
    if (!try_parse_json(*json, doc, error))
      throw g2a::Error(G2A_PARSE_FAILURE,
                       fmt::format("{}: document is not valid JSON: {}", collection, error));
    {
      std::lock_guard lock(docs_mu_);
      file_for(collection).check(collection, key, doc);
    }
    // Stored normalised, so what a reader sees does not change across a restart.
    out.json = to_compact_json(doc);
  }
  return out;
}

void FileStorage::apply(CheckedWrite&& write) {
  DataFile& file = file_for(write.collection);
  if (write.json) {
    collections_[write.collection].put(write.key, std::move(*write.json));
    dirty_.insert(&file);
    return;
  }
  auto it = collections_.find(write.collection);
  if (it != collections_.end() && it->second.erase(write.key)) dirty_.insert(&file);
}

std::optional<std::string> FileStorage::doc_get(std::string_view collection, std::string_view key) {
  check_collection_name(collection);
  std::lock_guard lock(docs_mu_);
  const Collection* c = find_collection(collections_, collection);
  const std::string* doc = c ? c->find(key) : nullptr;
  if (!doc) return std::nullopt;
  return *doc;
}

void FileStorage::doc_put(std::string_view collection, std::string_view key,
                          std::string_view json) {
  CheckedWrite write = check_write(collection, key, &json);
  std::lock_guard lock(docs_mu_);
  apply(std::move(write));
}

void FileStorage::doc_delete(std::string_view collection, std::string_view key) {
  check_collection_name(collection);
  std::lock_guard lock(docs_mu_);
  auto it = collections_.find(collection);
  if (it != collections_.end() && it->second.erase(key)) dirty_.insert(&file_for(collection));
}

void FileStorage::doc_list(std::string_view collection, std::string_view key_prefix, DocVisitor fn,
                           void* user) {
  check_collection_name(collection);
  std::vector<std::pair<std::string, std::string>> docs;
  {
    std::lock_guard lock(docs_mu_);
    if (const Collection* c = find_collection(collections_, collection))
      docs = c->with_prefix(key_prefix);
  }
  // Visited outside the lock, so a visitor may call back into storage.
  for (const auto& [key, json] : docs)
    if (!fn(user, key, json)) break;
}

std::vector<std::string> FileStorage::doc_collections() {
  std::lock_guard lock(docs_mu_);
  std::vector<std::string> names;
  for (const auto& [name, c] : collections_)
    if (!c.empty()) names.push_back(name);
  return names;  // a std::map is already in byte order
}

void FileStorage::doc_write_batch(const std::vector<DocWrite>& writes) {
  std::vector<CheckedWrite> checked;
  checked.reserve(writes.size());
  for (const DocWrite& w : writes)
    checked.push_back(check_write(w.collection, w.key, w.is_delete ? nullptr : &w.json));
  std::lock_guard lock(docs_mu_);
  for (auto& w : checked) apply(std::move(w));
}

bool FileStorage::claim(std::string_view name, std::string_view owner, uint32_t lease_ms) {
  if (name.empty() || owner.empty())
    throw g2a::Error(G2A_BAD_ARGUMENT, "claim: name and owner must not be empty");
  return claims_.claim(name, owner, lease_ms, host_.monotonic_ms());
}

void FileStorage::release(std::string_view name, std::string_view owner) {
  claims_.release(name, owner);
}

void FileStorage::log_append(const std::vector<std::string_view>& records) {
  logs_.append(records);
}

uint64_t FileStorage::log_query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                                DocVisitor fn, void* user) {
  std::vector<std::pair<std::string, std::string>> page;
  uint64_t total = logs_.query(filter, offset, limit, page);
  for (const auto& [id, line] : page)
    if (!fn(user, id, line)) break;
  return total;
}

LogStats FileStorage::log_stats(const LogFilter& filter, int64_t today_start_ms) {
  return logs_.stats(filter, today_start_ms);
}

bool FileStorage::log_timeseries(const LogFilter& filter, int64_t bucket_ms, int64_t utc_offset_ms,
                                 std::vector<LogBucket>& out) {
  out = logs_.timeseries(filter, bucket_ms, utc_offset_ms);
  return true;
}

std::vector<std::string> FileStorage::log_models() {
  return logs_.models();
}

uint64_t FileStorage::log_trim(uint64_t keep_newest) {
  return logs_.trim(keep_newest);
}

void FileStorage::flush() {
  std::lock_guard serial(flush_mu_);
  std::vector<std::pair<DataFile*, std::string>> snapshots;
  {
    std::lock_guard lock(docs_mu_);
    int64_t now = host_.now_ms();
    for (DataFile* file : dirty_) snapshots.emplace_back(file, file->render(collections_, now));
    dirty_.clear();
  }
  std::exception_ptr first_error;
  for (auto& [file, content] : snapshots) {
    try {
      create_directories_durably(file->path().parent_path());
      replace_file_durably(file->path(), content);
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
      std::lock_guard lock(docs_mu_);
      dirty_.insert(file);  // written again by the next flush
    }
  }
  try {
    logs_.flush();
  } catch (...) {
    if (!first_error) first_error = std::current_exception();
  }
  if (first_error) std::rethrow_exception(first_error);
}

std::string FileStorage::describe() {
  return "file:" + dir_text_;
}

}  // namespace g2a::storage_file
