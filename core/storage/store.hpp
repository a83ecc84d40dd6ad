// The gateway's view of its storage plugin: typed calls that run on the blocking pool
// when the plugin blocks, and are serialised when it is not thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/runtime/blocking_pool.hpp"

#include <grok2api/plugin.h>

namespace g2a::plugin {
struct LoadedPlugin;
}

namespace g2a::storage {

class StorageError : public std::runtime_error {
 public:
  StorageError(g2a_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  g2a_status status() const noexcept { return status_; }

 private:
  g2a_status status_;
};

using Documents = std::vector<std::pair<std::string, std::string>>;  // key, JSON

struct DocWrite {
  std::string collection, key, json;
  bool is_delete = false;
};

class Store {
 public:
  Store(plugin::LoadedPlugin& plugin, runtime::BlockingPool& pool);

  const std::string& plugin_id() const;
  std::string describe() const;

  // Blocking forms, for start-up, shutdown and code already on the blocking pool.
  std::optional<std::string> get(const std::string& collection, const std::string& key);
  void put(const std::string& collection, const std::string& key, const std::string& json);
  void remove(const std::string& collection, const std::string& key);
  Documents list(const std::string& collection, const std::string& prefix = "");
  void write_batch(const std::vector<DocWrite>& writes);
  bool claim(const std::string& name, const std::string& owner, uint32_t lease_ms);
  void release(const std::string& name, const std::string& owner);
  void flush();
  // Call logs (see g2a_storage_v1): append records, keep the newest keep_newest.
  void log_append(const std::vector<std::string>& records);
  uint64_t log_trim(uint64_t keep_newest);
  // The newest matching records (JSON), newest first; total counts every match.
  struct LogPage {
    std::vector<std::string> records;
    uint64_t total = 0;
  };
  LogPage log_query(const g2a_log_filter& filter, uint64_t offset, uint64_t limit);
  std::vector<std::string> log_models();
  g2a_log_stats log_stats(const g2a_log_filter& filter, int64_t today_start_ms);
  // The matching records per time bucket (ABI 1.1), oldest first; nullopt when the plugin
  // does not offer it (built against 1.0, or G2A_UNSUPPORTED): the caller then buckets
  // the records of log_query itself.
  std::optional<std::vector<g2a_log_bucket>> log_timeseries(const g2a_log_filter& filter,
                                                            int64_t bucket_ms,
                                                            int64_t utc_offset_ms);

  // ABI 1.4: the names of the non-empty collections, or nullopt when the plugin cannot
  // list them (the caller then uses the collections it knows by name).
  std::optional<std::vector<std::string>> collections();
  // Asks the backend whether it can serve calls now (ABI 1.4 ping; a plugin without it
  // counts as reachable) and records the answer in health(). Never throws.
  bool ping();
  // True when several gateway instances may share this store (G2A_FLAG_SHARED_STORE).
  bool shared() const;

  // Whether the backend answered its last calls: a call that fails with an I/O, timeout
  // or retry status makes it degraded; a later successful call or ping clears that.
  struct Health {
    bool ok = true;
    std::string error;      // the last failure while degraded
    int64_t since_ms = 0;   // when it became degraded (system clock)
    uint64_t failures = 0;  // failed calls since start
  };
  Health health() const;

  // Awaitable forms for request handlers: never block an I/O thread.
  boost::asio::awaitable<std::optional<std::string>> async_get(std::string collection,
                                                               std::string key);
  boost::asio::awaitable<void> async_put(std::string collection, std::string key, std::string json);
  boost::asio::awaitable<void> async_remove(std::string collection, std::string key);
  boost::asio::awaitable<Documents> async_list(std::string collection, std::string prefix = "");
  boost::asio::awaitable<void> async_write_batch(std::vector<DocWrite> writes);

  // Runs f (which calls the blocking forms) where the plugin allows: on the blocking
  // pool for a blocking plugin, inline otherwise.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> async_call(F f);

  const g2a_storage_v1& table() const { return *table_; }
  void* instance() const;
  bool blocks() const;

 private:
  template <class F>
  auto call(F&& f) -> decltype(f());
  [[noreturn]] void raise(g2a_status st, g2a_buf& err, const char* what);
  void mark_failed(const std::string& error);
  void mark_ok();

  plugin::LoadedPlugin& plugin_;
  const g2a_storage_v1* table_;
  runtime::BlockingPool& pool_;
  std::mutex serial_;  // used when the plugin is not thread-safe
  mutable std::mutex health_mu_;
  Health health_;
  std::atomic<bool> degraded_{false};
};

template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> Store::async_call(F f) {
  if (blocks()) return pool_.run(std::move(f));
  return runtime::BlockingPool::inline_call(std::move(f));
}

}  // namespace g2a::storage
