// The one-time move of a data/ folder (the Pro service's files, or a file-mode gateway's)
// into a shared store (MySQL, Redis) when a gateway first starts on it.
#pragma once

#include <optional>
#include <string>

#include "core/storage/store_copy.hpp"

namespace g2a::storage {

class Store;
struct DirectoryStoreOptions;

// The marker document written once the import is done (or found unnecessary).
inline constexpr const char* kMetaCollection = "meta";
inline constexpr const char* kMigratedFromFiles = "migrated_from_files";

// Writes the marker: the store's content was set from `source` (a data directory, or an
// --import), so the start-up import leaves it alone from now on.
void write_import_marker(Store& store, const std::string& source, const StoreCounts& imported);

// The data files whose presence starts the import.
bool has_data_files(const std::string& data_dir);

// When `store` is shared, holds no marker, and data_dir has data files: copies data_dir's
// collections into the store's empty collections (a collection the store already fills,
// for example tokens its plugin imported from the Pro tables, is kept and logged), and the
// call log when the store's is empty; logs what was imported, and writes the marker. One
// instance does it under a claim while others starting at the same time wait for the
// marker. Returns what was imported, nullopt when nothing was to be done. Throws (storage
// errors, a data file that does not parse) without writing the marker, so the next start
// tries again.
std::optional<StoreCounts> import_data_dir_once(Store& store, const std::string& data_dir,
                                                const DirectoryStoreOptions& options);

}  // namespace g2a::storage
