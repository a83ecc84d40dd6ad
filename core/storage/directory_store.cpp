#include "core/storage/directory_store.hpp"

#include <filesystem>
#include <stdexcept>

#include "core/ops/logging.hpp"
#include "core/plugin/manager.hpp"
#include "core/storage/store.hpp"

namespace g2a::storage {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFilePlugin = "storage-file";

// Only storage-file, with its own [plugins.storage-file] table and explicit path if any.
config::PluginSettings file_plugin_only(const config::PluginSettings& all) {
  config::PluginSettings only;
  only.directory = all.directory;
  only.enabled = {kFilePlugin};
  for (const auto& p : all.paths)
    if (fs::path(p).stem() == kFilePlugin) only.paths.push_back(p);
  if (auto it = all.entries.find(kFilePlugin); it != all.entries.end())
    only.entries.emplace(it->first, it->second);
  return only;
}

}  // namespace

DirectoryStore::DirectoryStore(const DirectoryStoreOptions& options, const std::string& directory)
    : directory_(fs::absolute(directory).lexically_normal().string()) {
  plugin::ManagerOptions mo;
  mo.directory = options.plugin_directory;
  mo.settings = file_plugin_only(options.plugins);
  mo.must_have = {kFilePlugin};
  mo.storage_id = kFilePlugin;
  mo.paths = {directory_, (fs::path(directory_) / "cache").string(), options.logs_dir};
  mo.io = options.io;
  mo.blocking = options.blocking;
  manager_ = std::make_unique<plugin::Manager>(std::move(mo));
  try {
    manager_->load_all();
    auto* loaded = manager_->find(kFilePlugin);
    if (!loaded) throw std::runtime_error("storage-file is not loaded");
    store_ = std::make_unique<Store>(*loaded, *options.blocking);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open " + directory_ + " with storage-file: " + e.what());
  }
}

DirectoryStore::~DirectoryStore() {
  try {
    close();
  } catch (const std::exception& e) {
    ops::logger("Storage")->error("closing {}: {}", directory_, e.what());
  }
}

void DirectoryStore::close() {
  if (!manager_) return;
  auto manager = std::move(manager_);
  auto store = std::move(store_);
  if (store) store->flush();
  manager->shutdown();
}

}  // namespace g2a::storage
