// A Store on a directory in the file layout of data/: the storage-file plugin, loaded by a
// plugin manager of its own (and nothing else with it) with that directory as its data
// directory. Export, import and the start-up move from data/ into a database use it next
// to the configured store.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "core/config/settings.hpp"

namespace g2a::runtime {
class BlockingPool;
}
namespace g2a::plugin {
class Manager;
}

namespace g2a::storage {

class Store;

struct DirectoryStoreOptions {
  std::string plugin_directory;    // where storage-file.so is
  config::PluginSettings plugins;  // [plugins]: storage-file's own table and path are kept
  std::string logs_dir;
  boost::asio::any_io_executor io;
  runtime::BlockingPool* blocking = nullptr;
};

class DirectoryStore {
 public:
  // Opens (creating it when missing) `directory` with storage-file; throws
  // std::runtime_error naming the directory when the plugin cannot load or open it
  // (another gateway holds its lock, a data file does not parse, ...).
  DirectoryStore(const DirectoryStoreOptions& options, const std::string& directory);
  ~DirectoryStore();
  DirectoryStore(const DirectoryStore&) = delete;
  DirectoryStore& operator=(const DirectoryStore&) = delete;

  Store& store() { return *store_; }
  const std::string& directory() const { return directory_; }

  // Flushes and unloads the plugin (releasing the directory's lock); throws when the
  // flush fails. The destructor does the same without throwing.
  void close();

 private:
  std::string directory_;
  std::unique_ptr<plugin::Manager> manager_;
  std::unique_ptr<Store> store_;
};

}  // namespace g2a::storage
