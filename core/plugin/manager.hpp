// Finds, checks and instantiates plugins; keeps them loaded for the life of the process.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include <grok2api/plugin.h>

#include "core/config/settings.hpp"
#include "core/plugin/host_context.hpp"

namespace boost::dll {
class shared_library;
}
namespace g2a::upstream {
class HttpClient;
}

namespace g2a::plugin {

// A plugin that failed to load while marked required: start-up stops.
class FatalPluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadedPlugin {
  std::string path;
  g2a_plugin_v1 descriptor{};  // zero-filled copy of what the plugin returned
  std::string id, version, vendor, description;
  bool required = false;
  std::shared_ptr<boost::dll::shared_library> library;
  std::unique_ptr<g2a_host_ctx> ctx;
  void* instance = nullptr;

  uint32_t abi_major() const { return G2A_ABI_VERSION_MAJOR(descriptor.abi_version); }
  uint32_t abi_minor() const { return G2A_ABI_VERSION_MINOR(descriptor.abi_version); }
  std::string abi() const;  // "major.minor", as /health and /api/plugins show it
  bool blocking() const { return descriptor.flags & G2A_FLAG_BLOCKING; }
  bool thread_safe() const { return descriptor.flags & G2A_FLAG_THREAD_SAFE; }
  bool shared_store() const { return descriptor.flags & G2A_FLAG_SHARED_STORE; }
  // The kind's function table, or nullptr (struct_size checked).
  const void* table(uint32_t kind) const;
};

// The names of the kinds set in a descriptor's kinds bits ("storage", "log_sink", ...).
std::vector<std::string> kind_names(uint32_t kinds);

struct LoadFailure {
  std::string path;
  std::string id;  // when known
  std::string message;
  bool required = false;
};

struct ManagerOptions {
  std::string directory;  // where to look for *.so
  config::PluginSettings settings;
  std::vector<std::string> must_have;  // ids needed by the configuration (the storage plugin)
  // The storage plugin of storage.mode: the directory's other storage-*.so files are not
  // loaded (one store per process; an idle database plugin would only fail to connect).
  std::string storage_id;
  Paths paths;
  // Keys added to every signer's config table unless the table sets them (plugin.h).
  std::string signer_defaults_json = "{}";
  // Keys added to one plugin's config table (by id) unless the table sets them, read at
  // every config_get so that they follow the live settings (a JSON object).
  std::map<std::string, std::function<std::string()>> config_defaults;
  boost::asio::any_io_executor io;
  runtime::BlockingPool* blocking = nullptr;
  upstream::HttpClient* http = nullptr;  // host->http_request
  std::string default_user_agent;        // added to plugin requests that set none
};

class Manager {
 public:
  explicit Manager(ManagerOptions options);
  ~Manager();

  // Loads and creates every plugin. Throws FatalPluginError when a required one fails.
  void load_all();

  const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
  const std::vector<LoadFailure>& failures() const { return failures_; }
  LoadedPlugin* find(const std::string& id) const;

  // Stops timers and destroys every instance, newest first. Libraries stay mapped.
  void shutdown();

  // The default plugin directory: <binary dir>/../lib/grok2api.
  static std::string default_directory();

 private:
  void load_file(const std::string& path, bool explicit_path);
  void fail(const std::string& path, const std::string& id, const std::string& message);
  bool is_required(const std::string& id) const;

  ManagerOptions options_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::vector<LoadFailure> failures_;
};

}  // namespace g2a::plugin
