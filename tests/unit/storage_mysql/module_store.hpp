// A storage plugin module (.so) driven through its C ABI like the host does: dlopen, the
// entry point, create on a TestHost, and C++ conveniences over g2a_storage_v1 for tests.
#pragma once

#include <grok2api/plugin.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/test_host.hpp"

namespace g2a::test {

struct Filter {
  std::string sso, model;
  int32_t success = -1;
  int64_t start_ms = 0, end_ms = 0;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

class ModuleStore {
 public:
  // Loads `module` and creates an instance with host's config; check ok() / error().
  ModuleStore(const char* module, TestHost& host);
  ~ModuleStore();
  ModuleStore(const ModuleStore&) = delete;
  ModuleStore& operator=(const ModuleStore&) = delete;

  bool ok() const { return api_ != nullptr; }
  g2a_status create_status() const { return create_status_; }
  const std::string& error() const { return error_; }
  const g2a_plugin_v1& plugin() const { return *plugin_; }

  // The last call's status and error message.
  g2a_status status() const {
    std::lock_guard lock(mu_);
    return status_;
  }
  std::string last_error() const {
    std::lock_guard lock(mu_);
    return last_error_;
  }

  std::optional<std::string> get(const std::string& c, const std::string& k);
  g2a_status put(const std::string& c, const std::string& k, const std::string& json);
  g2a_status del(const std::string& c, const std::string& k);
  Pairs list(const std::string& c, const std::string& prefix = "");
  struct Write {
    std::string collection, key, json;
    bool is_delete = false;
  };
  g2a_status batch(const std::vector<Write>& writes);
  std::vector<std::string> collections();
  int claim(const std::string& name, const std::string& owner, uint32_t lease_ms);
  g2a_status release(const std::string& name, const std::string& owner);
  g2a_status append(const std::vector<std::string>& records);
  // (id, record) newest first; *total receives the match count.
  Pairs query(const Filter& f, uint64_t offset, uint64_t limit, uint64_t* total);
  g2a_log_stats stats(const Filter& f, int64_t today_start_ms);
  std::vector<g2a_log_bucket> timeseries(const Filter& f, int64_t bucket_ms, int64_t offset_ms);
  std::vector<std::string> models();
  uint64_t trim(uint64_t keep);
  g2a_status ping();
  std::string describe();

 private:
  g2a_status done(g2a_status st, g2a_buf& err);

  TestHost& host_;
  void* lib_ = nullptr;
  const g2a_plugin_v1* plugin_ = nullptr;
  const g2a_storage_v1* api_ = nullptr;
  void* inst_ = nullptr;
  g2a_status create_status_ = G2A_INTERNAL;
  std::string error_;
  mutable std::mutex mu_;  // threads may share one store
  g2a_status status_ = G2A_OK;
  std::string last_error_;
};

}  // namespace g2a::test
