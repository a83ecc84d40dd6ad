// grok2api --export DIR / --import DIR [--force]: backup and restore between the
// configured store and a directory in the file layout of data/.
#pragma once

#include <string>

#include "core/app/cli.hpp"

namespace g2a::storage {
class Store;
struct DirectoryStoreOptions;
}  // namespace g2a::storage

namespace g2a::app {

// Exit codes of the command (also in usage() and the README).
inline constexpr int kBackupDone = 0;
inline constexpr int kBackupFailed = 1;
inline constexpr int kBackupBadArguments = 2;
inline constexpr int kBackupTargetNotEmpty = 3;

// True when the command line asks for --export or --import.
bool is_backup_command(const CommandLine& cl);

// Runs the command against `configured` (the store of storage.mode, whose data directory
// is data_dir) and returns the exit code. Prints the result on stdout, problems on stderr.
int run_backup_command(const CommandLine& cl, storage::Store& configured,
                       const std::string& data_dir, const storage::DirectoryStoreOptions& options);

}  // namespace g2a::app
