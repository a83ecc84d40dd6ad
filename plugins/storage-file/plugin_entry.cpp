// The exported entry point of storage-file.so.

#include <grok2api/plugin.hpp>

#include "file_storage.hpp"

G2A_DECLARE_PLUGIN(g2a::storage_file::FileStorage, "storage-file", "0.1.0", "grok2api",
                   "JSON files under the data directory, in the Pro service's formats",
                   G2A_FLAG_BLOCKING | G2A_FLAG_THREAD_SAFE)
