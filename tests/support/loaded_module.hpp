// One instance of a plugin module loaded through its C ABI (dlopen, the entry point, create,
// get_interface), with a CurlHost as its host: how plugin unit tests drive a real module.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <grok2api/plugin.h>

#include <string>

#include "support/curl_host.hpp"

namespace g2a::test {

// Table is the kind's function table, e.g. g2a_log_sink_v1 for G2A_KIND_LOG_SINK.
template <class Table>
class LoadedModule {
 public:
  LoadedModule(const char* path, uint32_t kind, const std::string& config) {
    handle_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    EXPECT_NE(handle_, nullptr) << dlerror();
    if (!handle_) return;
    auto entry = reinterpret_cast<g2a_plugin_entry_fn>(dlsym(handle_, G2A_ENTRY_SYMBOL));
    plugin_ = entry(host_.host());
    host_.base().set_config(config);
    g2a_buf err{nullptr, 0};
    create_status_ = plugin_->create(host_.host(), host_.ctx(), &inst_, &err);
    create_error_ = host_.base().adopt(err);
    if (create_status_ == G2A_OK) table_ = static_cast<const Table*>(plugin_->get_interface(kind));
  }
  ~LoadedModule() {
    if (inst_) plugin_->destroy(inst_);
  }
  LoadedModule(const LoadedModule&) = delete;
  LoadedModule& operator=(const LoadedModule&) = delete;

  const g2a_plugin_v1& descriptor() const { return *plugin_; }
  g2a_status create_status() const { return create_status_; }
  const std::string& create_error() const { return create_error_; }
  CurlHost& host() { return host_; }
  const Table* table() const { return table_; }
  void* instance() const { return inst_; }

 private:
  CurlHost host_;
  void* handle_ = nullptr;
  const g2a_plugin_v1* plugin_ = nullptr;
  void* inst_ = nullptr;
  const Table* table_ = nullptr;
  g2a_status create_status_ = G2A_INTERNAL;
  std::string create_error_;
};

}  // namespace g2a::test
