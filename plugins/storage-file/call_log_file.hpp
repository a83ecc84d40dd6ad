// The call log on disk: data/call_logs.ndjson, one record per line, appended to. A line
// that starts with '#' is a record a trim deleted, its first byte overwritten in place
// (the file is rewritten only once such lines make up a quarter of it). The Pro
// service's data/call_logs.json (rewritten whole on every save) is imported once, the first
// time the gateway opens a data directory that has no ndjson yet, and then left untouched.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "call_log_index.hpp"

namespace g2a::storage_file {

struct CallLogLoadSummary {
  std::size_t records = 0;
  std::size_t skipped = 0;    // lines or Pro records without the fields we index
  bool imported_pro = false;  // this open converted call_logs.json
  bool dropped_torn_tail = false;
  uint64_t file_bytes = 0;     // the size of call_logs.ndjson once loaded
  uint64_t deleted_bytes = 0;  // of it, lines marked deleted ('#'), newlines included
};

// The first byte of a deleted record's line.
inline constexpr char kDeletedLineMark = '#';

std::filesystem::path call_log_path(const std::filesystem::path& data_dir);

// Fills `index` from the ndjson (importing the Pro file first when it is the only one).
// A torn last line (a crash in the middle of an append) is cut off the file with a
// warning; a bad line anywhere else fails with g2a::Error(G2A_PARSE_FAILURE) naming it.
CallLogLoadSummary load_call_logs(const std::filesystem::path& data_dir, CallLogIndex& index,
                                  std::vector<std::string>& warnings);

}  // namespace g2a::storage_file
