#include "core/storage/store.hpp"
#include "core/plugin/host_buffer.hpp"

#include <string_view>
#include <type_traits>

#include "core/plugin/manager.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/runtime/clock.hpp"

namespace g2a::storage {
namespace {

g2a_str gs(const std::string& s) {
  return g2a_str{s.data(), s.size()};
}

int collect(void* user, g2a_str key, g2a_str json) {
  static_cast<Documents*>(user)->emplace_back(std::string(key.data, key.len),
                                              std::string(json.data, json.len));
  return 0;
}

}  // namespace

Store::Store(plugin::LoadedPlugin& plugin, runtime::BlockingPool& pool)
    : plugin_(plugin),
      table_(static_cast<const g2a_storage_v1*>(plugin.table(G2A_KIND_STORAGE))),
      pool_(pool) {
  if (!table_) throw StorageError(G2A_UNSUPPORTED, "plugin " + plugin.id + " provides no storage");
}

const std::string& Store::plugin_id() const {
  return plugin_.id;
}
void* Store::instance() const {
  return plugin_.instance;
}
bool Store::blocks() const {
  return plugin_.blocking();
}

void Store::raise(g2a_status st, g2a_buf& err, const char* what) {
  std::string msg = plugin::take_buffer(err);
  std::string text = std::string("storage ") + what + " failed (" + plugin_.id +
                     "): " + (msg.empty() ? "status " + std::to_string(st) : msg);
  // Only the backend being unreachable degrades it, not a refused document.
  if (st == G2A_IO_ERROR || st == G2A_TIMEOUT || st == G2A_RETRY) mark_failed(text);
  throw StorageError(st, text);
}

void Store::mark_failed(const std::string& error) {
  std::lock_guard lock(health_mu_);
  ++health_.failures;
  if (health_.ok) {
    health_.ok = false;
    health_.since_ms = runtime::now_ms();
  }
  health_.error = error;
  degraded_.store(true, std::memory_order_relaxed);
}

void Store::mark_ok() {
  if (!degraded_.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(health_mu_);
  health_.ok = true;
  health_.error.clear();
  health_.since_ms = 0;
  degraded_.store(false, std::memory_order_relaxed);
}

Store::Health Store::health() const {
  std::lock_guard lock(health_mu_);
  return health_;
}

bool Store::shared() const {
  return plugin_.shared_store();
}

template <class F>
auto Store::call(F&& f) -> decltype(f()) {
  if constexpr (std::is_void_v<decltype(f())>) {
    if (plugin_.thread_safe()) {
      f();
    } else {
      std::lock_guard lock(serial_);
      f();
    }
    mark_ok();
  } else {
    if (plugin_.thread_safe()) {
      auto r = f();
      mark_ok();
      return r;
    }
    std::lock_guard lock(serial_);
    auto r = f();
    mark_ok();
    return r;
  }
}

std::optional<std::vector<std::string>> Store::collections() {
  if (!G2A_HAS_FIELD(table_, g2a_storage_v1, doc_collections) || !table_->doc_collections)
    return std::nullopt;
  return call([&]() -> std::optional<std::vector<std::string>> {
    Documents docs;
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->doc_collections(plugin_.instance, &collect, &docs, &err);
    if (st == G2A_UNSUPPORTED) {
      plugin::take_buffer(err);
      return std::nullopt;
    }
    if (st != G2A_OK) raise(st, err, "collections");
    std::vector<std::string> names;
    for (auto& d : docs) names.push_back(std::move(d.first));
    return names;
  });
}

bool Store::ping() {
  if (!G2A_HAS_FIELD(table_, g2a_storage_v1, ping) || !table_->ping) return health().ok;
  try {
    call([&] {
      g2a_buf err{nullptr, 0};
      g2a_status st = table_->ping(plugin_.instance, &err);
      if (st != G2A_OK) raise(G2A_IO_ERROR, err, "ping");
    });
    return true;
  } catch (const StorageError&) {
    return false;
  }
}

std::string Store::describe() const {
  g2a_buf out{nullptr, 0};
  if (table_->describe(plugin_.instance, &out) != G2A_OK) return plugin_.id;
  return plugin::take_buffer(out);
}

std::optional<std::string> Store::get(const std::string& collection, const std::string& key) {
  return call([&]() -> std::optional<std::string> {
    g2a_buf out{nullptr, 0}, err{nullptr, 0};
    g2a_status st = table_->doc_get(plugin_.instance, gs(collection), gs(key), &out, &err);
    if (st == G2A_NOT_FOUND) {
      plugin::take_buffer(err);
      return std::nullopt;
    }
    if (st != G2A_OK) raise(st, err, "get");
    return plugin::take_buffer(out);
  });
}

void Store::put(const std::string& collection, const std::string& key, const std::string& json) {
  call([&] {
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->doc_put(plugin_.instance, gs(collection), gs(key), gs(json), &err);
    if (st != G2A_OK) raise(st, err, "put");
  });
}

void Store::remove(const std::string& collection, const std::string& key) {
  call([&] {
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->doc_delete(plugin_.instance, gs(collection), gs(key), &err);
    if (st != G2A_OK) raise(st, err, "delete");
  });
}

Documents Store::list(const std::string& collection, const std::string& prefix) {
  return call([&] {
    Documents docs;
    g2a_buf err{nullptr, 0};
    g2a_status st =
        table_->doc_list(plugin_.instance, gs(collection), gs(prefix), &collect, &docs, &err);
    if (st != G2A_OK) raise(st, err, "list");
    return docs;
  });
}

void Store::write_batch(const std::vector<DocWrite>& writes) {
  call([&] {
    std::vector<g2a_doc_write> w;
    w.reserve(writes.size());
    for (const auto& d : writes)
      w.push_back({sizeof(g2a_doc_write), gs(d.collection), gs(d.key), gs(d.json), d.is_delete});
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->doc_write_batch(plugin_.instance, w.data(), w.size(), &err);
    if (st != G2A_OK) raise(st, err, "batch write");
  });
}

void Store::log_append(const std::vector<std::string>& records) {
  if (records.empty()) return;
  call([&] {
    std::vector<g2a_str> r;
    r.reserve(records.size());
    for (const auto& rec : records) r.push_back(gs(rec));
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->log_append(plugin_.instance, r.data(), r.size(), &err);
    if (st != G2A_OK) raise(st, err, "log append");
  });
}

uint64_t Store::log_trim(uint64_t keep_newest) {
  return call([&] {
    uint64_t deleted = 0;
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->log_trim(plugin_.instance, keep_newest, &deleted, &err);
    if (st != G2A_OK) raise(st, err, "log trim");
    return deleted;
  });
}

Store::LogPage Store::log_query(const g2a_log_filter& filter, uint64_t offset, uint64_t limit) {
  return call([&] {
    Documents docs;
    LogPage page;
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->log_query(plugin_.instance, &filter, offset, limit, &collect, &docs,
                                      &page.total, &err);
    if (st != G2A_OK) raise(st, err, "log query");
    for (auto& d : docs) page.records.push_back(std::move(d.second));
    return page;
  });
}

std::vector<std::string> Store::log_models() {
  return call([&] {
    Documents docs;
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->log_models(plugin_.instance, &collect, &docs, &err);
    if (st != G2A_OK) raise(st, err, "log models");
    std::vector<std::string> models;
    for (auto& d : docs) models.push_back(std::move(d.first));
    return models;
  });
}

g2a_log_stats Store::log_stats(const g2a_log_filter& filter, int64_t today_start_ms) {
  return call([&] {
    g2a_log_stats out{sizeof(g2a_log_stats), 0, 0, 0, 0};
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->log_stats(plugin_.instance, &filter, today_start_ms, &out, &err);
    if (st != G2A_OK) raise(st, err, "log stats");
    return out;
  });
}

std::optional<std::vector<g2a_log_bucket>> Store::log_timeseries(const g2a_log_filter& filter,
                                                                 int64_t bucket_ms,
                                                                 int64_t utc_offset_ms) {
  if (!G2A_HAS_FIELD(table_, g2a_storage_v1, log_timeseries) || !table_->log_timeseries)
    return std::nullopt;  // a plugin built against ABI 1.0
  return call([&]() -> std::optional<std::vector<g2a_log_bucket>> {
    std::vector<g2a_log_bucket> buckets;
    auto collect_bucket = [](void* user, const g2a_log_bucket* b) {
      g2a_log_bucket copy{sizeof(g2a_log_bucket), b->start_ms, b->calls, b->failures, 0};
      if (G2A_HAS_FIELD(b, g2a_log_bucket, median_latency)) copy.median_latency = b->median_latency;
      static_cast<std::vector<g2a_log_bucket>*>(user)->push_back(copy);
      return 0;
    };
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->log_timeseries(plugin_.instance, &filter, bucket_ms, utc_offset_ms,
                                           collect_bucket, &buckets, &err);
    if (st == G2A_UNSUPPORTED) {
      plugin::take_buffer(err);
      return std::nullopt;
    }
    if (st != G2A_OK) raise(st, err, "log timeseries");
    return buckets;
  });
}

bool Store::claim(const std::string& name, const std::string& owner, uint32_t lease_ms) {
  return call([&] {
    int32_t acquired = 0;
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->claim(plugin_.instance, gs(name), gs(owner), lease_ms, &acquired, &err);
    if (st == G2A_CONFLICT) {
      plugin::take_buffer(err);
      return false;
    }
    if (st != G2A_OK) raise(st, err, "claim");
    return acquired != 0;
  });
}

void Store::release(const std::string& name, const std::string& owner) {
  call([&] {
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->release(plugin_.instance, gs(name), gs(owner), &err);
    if (st != G2A_OK) raise(st, err, "release");
  });
}

void Store::flush() {
  call([&] {
    g2a_buf err{nullptr, 0};
    g2a_status st = table_->flush(plugin_.instance, &err);
    if (st != G2A_OK) raise(st, err, "flush");
  });
}

// Not coroutines: the arguments move straight into the operation (GCC 12 mishandles
// by-value parameters captured inside coroutine frames).
boost::asio::awaitable<std::optional<std::string>> Store::async_get(std::string collection,
                                                                    std::string key) {
  return async_call([this, c = std::move(collection), k = std::move(key)] { return get(c, k); });
}

boost::asio::awaitable<void> Store::async_put(std::string collection, std::string key,
                                              std::string json) {
  return async_call(
      [this, c = std::move(collection), k = std::move(key), j = std::move(json)] { put(c, k, j); });
}

boost::asio::awaitable<void> Store::async_remove(std::string collection, std::string key) {
  return async_call([this, c = std::move(collection), k = std::move(key)] { remove(c, k); });
}

boost::asio::awaitable<Documents> Store::async_list(std::string collection, std::string prefix) {
  return async_call(
      [this, c = std::move(collection), p = std::move(prefix)] { return list(c, p); });
}

boost::asio::awaitable<void> Store::async_write_batch(std::vector<DocWrite> writes) {
  return async_call([this, w = std::move(writes)] { write_batch(w); });
}

}  // namespace g2a::storage
