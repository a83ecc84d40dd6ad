// Test-side driver of a storage plugin through its C ABI: entry point -> create ->
// get_interface(G2A_KIND_STORAGE), with C++ conveniences for assertions.
#pragma once

#include <grok2api/plugin.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/test_host.hpp"

namespace g2a::test {

struct LogQuery {
  std::string sso, model;
  int32_t success = -1;
  int64_t start_ms = 0, end_ms = 0;
  g2a_log_filter raw() const;
};

struct QueryResult {
  g2a_status status = G2A_OK;
  uint64_t total = 0;
  std::vector<std::pair<std::string, std::string>> rows;  // (id, record)
};

using Docs = std::vector<std::pair<std::string, std::string>>;

class StorageClient {
 public:
  // Creates an instance of `plugin` (its entry point's answer for host) with host's data dir
  // and config; nullptr on failure with status/message set.
  static std::unique_ptr<StorageClient> open(TestHost& host, const g2a_plugin_v1* plugin,
                                             g2a_status* status = nullptr,
                                             std::string* error = nullptr);
  ~StorageClient();  // the plugin's destroy (which flushes)

  const g2a_plugin_v1& plugin() const { return *plugin_; }
  const g2a_storage_v1& api() const { return *api_; }
  void* instance() const { return inst_; }

  std::optional<std::string> get(const std::string& collection, const std::string& key);
  g2a_status put(const std::string& collection, const std::string& key, const std::string& json,
                 std::string* error = nullptr);
  g2a_status del(const std::string& collection, const std::string& key);
  Docs list(const std::string& collection, const std::string& prefix = "");
  g2a_status list_status(const std::string& collection, const std::string& prefix = "");
  struct Write {
    std::string collection, key, json;
    bool is_delete = false;
  };
  g2a_status batch(const std::vector<Write>& writes, std::string* error = nullptr);

  bool claim(const std::string& name, const std::string& owner, uint32_t lease_ms);
  // claim's status, for a backend that may fail; *acquired as the plugin set it.
  g2a_status try_claim(const std::string& name, const std::string& owner, uint32_t lease_ms,
                       int32_t* acquired, std::string* error = nullptr);
  void release(const std::string& name, const std::string& owner);

  g2a_status append(const std::vector<std::string>& records, std::string* error = nullptr);
  QueryResult query(const LogQuery& filter, uint64_t offset = 0, uint64_t limit = UINT64_MAX);
  g2a_log_stats stats(const LogQuery& filter, int64_t today_start_ms = 0);
  // log_timeseries (ABI 1.1); EXPECTs G2A_OK unless status is given.
  std::vector<g2a_log_bucket> timeseries(const LogQuery& filter, int64_t bucket_ms,
                                         int64_t utc_offset_ms = 0, g2a_status* status = nullptr);
  std::vector<std::string> models();
  uint64_t trim(uint64_t keep_newest);

  g2a_status flush(std::string* error = nullptr);
  std::string describe();
  // ABI 1.4: doc_collections (EXPECTs G2A_OK) and ping.
  std::vector<std::string> collections();
  g2a_status ping(std::string* error = nullptr);

 private:
  StorageClient(TestHost& host, const g2a_plugin_v1* plugin, const g2a_storage_v1* api, void* inst)
      : host_(host), plugin_(plugin), api_(api), inst_(inst) {}
  std::string take_error(g2a_buf& err);

  TestHost& host_;
  const g2a_plugin_v1* plugin_;
  const g2a_storage_v1* api_;
  void* inst_;
};

}  // namespace g2a::test
