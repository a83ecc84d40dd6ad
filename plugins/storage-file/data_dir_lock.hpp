// File storage serves one gateway process: an exclusive flock on <data>/.lock, held for the
// life of the plugin instance, keeps a second process from loading and overwriting the files.
#pragma once

#include <filesystem>

namespace g2a::storage_file {

class DataDirLock {
 public:
  // Takes the lock without waiting and writes our pid into the file. Throws g2a::Error
  // (G2A_CONFLICT) naming the holder's pid when another process (or instance) has it.
  explicit DataDirLock(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace g2a::storage_file
