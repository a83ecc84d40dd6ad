#include "core/app/backup_command.hpp"

#include <filesystem>
#include <iostream>

#include "core/ops/logging.hpp"
#include "core/storage/data_dir_import.hpp"
#include "core/storage/directory_store.hpp"
#include "core/storage/store.hpp"
#include "core/storage/store_copy.hpp"

namespace g2a::app {
namespace fs = std::filesystem;
namespace {

bool same_directory(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

int fail(int code, const std::string& message) {
  std::cerr << "grok2api: " << message << "\n";
  ops::flush_logs();
  return code;
}

}  // namespace

bool is_backup_command(const CommandLine& cl) {
  return cl.export_dir.has_value() || cl.import_dir.has_value();
}

int run_backup_command(const CommandLine& cl, storage::Store& configured,
                       const std::string& data_dir, const storage::DirectoryStoreOptions& options) {
  const bool exporting = cl.export_dir.has_value();
  const char* verb = exporting ? "export" : "import";
  const std::string dir =
      fs::absolute(exporting ? *cl.export_dir : *cl.import_dir).lexically_normal().string();
  const std::string backend = configured.describe();
  const std::string from_name = exporting ? backend : dir;
  const std::string to_name = exporting ? dir : backend;

  if (configured.plugin_id() == "storage-file" && same_directory(dir, data_dir))
    return fail(kBackupBadArguments, std::string("--") + verb + " " + dir +
                                         " is the configured data directory (storage.mode file)");
  std::error_code ec;
  if (!exporting && !fs::is_directory(dir, ec))
    return fail(kBackupBadArguments, "--import " + dir + ": no such directory");

  try {
    storage::DirectoryStore files(options, dir);
    storage::Store& from = exporting ? configured : files.store();
    storage::Store& to = exporting ? files.store() : configured;
    if (!exporting && storage::count_store(from).empty())
      return fail(kBackupBadArguments,
                  "--import " + dir +
                      ": holds no data (no token.json, proxy_state.json, video_tasks.json, "
                      "setting.overrides.json, store/*.json or call logs): nothing was changed");

    storage::StoreCounts present = storage::count_store(to);
    if (!present.empty()) {
      if (!cl.force)
        return fail(kBackupTargetNotEmpty, to_name + " already holds " + present.describe() +
                                               ": nothing was copied (--force replaces it)");
      storage::clear_store(to);
      ops::logger("Storage")->info("--force: cleared {} ({})", to_name, present.describe());
    }
    storage::StoreCounts copied = storage::copy_store(from, to);
    // A database restored from a backup is not filled again from data/ at the next start.
    if (!exporting && configured.shared()) storage::write_import_marker(configured, dir, copied);
    files.close();
    std::cout << (exporting ? "exported " : "imported ") << from_name << " into " << to_name << ": "
              << copied.describe() << " (counts verified)\n";
    ops::flush_logs();
    return kBackupDone;
  } catch (const std::exception& e) {
    return fail(kBackupFailed, std::string(verb) + " from " + from_name + " into " + to_name +
                                   " failed: " + e.what());
  }
}

}  // namespace g2a::app
