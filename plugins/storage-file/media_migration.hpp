// One-time move of the Pro service's media cache (data/temp/{image,video}) to the
// gateway's cache directory (<cache>/{image,video}).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

namespace g2a::storage_file {

struct MediaMigrationResult {
  std::size_t moved = 0;
  std::size_t skipped = 0;  // a file of that name was already in the cache, or rename failed
};

// Renames (never copies) each regular file of <data>/temp/<kind> into <cache>/<kind>,
// creating the target directories. `warn` hears about every file left behind.
MediaMigrationResult migrate_pro_media_cache(const std::filesystem::path& data_dir,
                                             const std::filesystem::path& cache_dir,
                                             const std::function<void(std::string_view)>& warn);

}  // namespace g2a::storage_file
