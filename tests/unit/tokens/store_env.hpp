// A real Store over the built storage-file plugin in a temp data directory, for tests.
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "core/plugin/manager.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/storage/store.hpp"

namespace g2a::tokens::test {

class StoreEnv {
 public:
  // plugin_dir holds storage-file.so; extra ids are loaded too (signer-statsig). With a
  // database_url, the store is storage-redis or storage-mysql (storage) on that server.
  StoreEnv(std::string plugin_dir, std::filesystem::path data_dir, boost::asio::any_io_executor io,
           runtime::BlockingPool& blocking, std::vector<std::string> extra = {},
           plugin::ManagerOptions base = {}, std::string storage = "storage-file",
           std::string database_url = "") {
    base.directory = std::move(plugin_dir);
    base.settings.enabled = {storage};
    base.storage_id = storage;
    if (!database_url.empty())
      base.config_defaults[storage] = [url = std::move(database_url)] {
        return "{\"database_url\": \"" + url + "\", \"pool_size\": 1}";
      };
    for (auto& e : extra) base.settings.enabled.push_back(e);
    base.must_have = base.settings.enabled;
    std::filesystem::create_directories(data_dir / "cache");
    std::filesystem::create_directories(data_dir / "logs");
    base.paths = {data_dir.string(), (data_dir / "cache").string(), (data_dir / "logs").string()};
    base.io = io;
    base.blocking = &blocking;
    manager_ = std::make_unique<plugin::Manager>(std::move(base));
    manager_->load_all();
    store_ = std::make_unique<storage::Store>(*manager_->find(storage), blocking);
  }
  ~StoreEnv() { close(); }

  storage::Store& store() { return *store_; }
  plugin::Manager& plugins() { return *manager_; }

  // Flushes and destroys the plugin (its files are then complete on disk).
  void close() {
    if (!manager_) return;
    store_->flush();
    store_.reset();
    manager_->shutdown();
    manager_.reset();
  }

 private:
  std::unique_ptr<plugin::Manager> manager_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace g2a::tokens::test
