#include "media_migration.hpp"

#include <fmt/format.h>
#include <stdio.h>

#include <cerrno>
#include <cstring>

#include "durable_file.hpp"

namespace g2a::storage_file {
namespace {

bool exists_no_follow(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::symlink_status(p, ec).type() != std::filesystem::file_type::not_found;
}

}  // namespace

MediaMigrationResult migrate_pro_media_cache(const std::filesystem::path& data_dir,
                                             const std::filesystem::path& cache_dir,
                                             const std::function<void(std::string_view)>& warn) {
  MediaMigrationResult result;
  for (const char* kind : {"image", "video"}) {
    std::filesystem::path from_dir = data_dir / "temp" / kind;
    std::error_code ec;
    if (!std::filesystem::is_directory(from_dir, ec)) continue;
    std::filesystem::path to_dir = cache_dir / kind;
    create_directories_durably(to_dir);
    std::size_t moved_here = 0;
    for (const auto& entry : std::filesystem::directory_iterator(from_dir, ec)) {
      if (!entry.is_regular_file(ec)) continue;
      std::filesystem::path target = to_dir / entry.path().filename();
      // rename() would silently replace the cached file; renameat2(RENAME_NOREPLACE) is not
      // available on every filesystem, and we hold the data-dir lock, so check first.
      if (exists_no_follow(target)) {
        warn(fmt::format("media migration: {} already exists, leaving {} in place", target.string(),
                         entry.path().string()));
        ++result.skipped;
        continue;
      }
      if (::rename(entry.path().c_str(), target.c_str()) != 0) {
        warn(fmt::format("media migration: cannot move {} to {}: {}", entry.path().string(),
                         target.string(), std::strerror(errno)));
        ++result.skipped;
        continue;
      }
      ++moved_here;
    }
    if (ec)
      warn(fmt::format("media migration: cannot list {}: {}", from_dir.string(), ec.message()));
    if (moved_here > 0) {
      fsync_directory(to_dir);
      fsync_directory(from_dir);
      result.moved += moved_here;
    }
  }
  return result;
}

}  // namespace g2a::storage_file
