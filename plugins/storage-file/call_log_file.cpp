#include "call_log_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <fstream>
#include <grok2api/plugin.hpp>
#include <optional>

#include "durable_file.hpp"
#include "json_parse.hpp"
#include "pro_call_log_reader.hpp"

namespace g2a::storage_file {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Converts the Pro file into the ndjson; the Pro file itself is not modified. Records go
// to the file and the index one at a time: the whole document is never held parsed.
void import_pro_call_logs(const std::filesystem::path& pro_path,
                          const std::filesystem::path& ndjson_path, const std::string& content,
                          CallLogIndex& index, CallLogLoadSummary& summary) {
  uint64_t offset = 0;
  replace_file_durably(ndjson_path, [&](const ContentSink& sink) {
    for_each_pro_call_log(content, pro_path.string(), [&](const boost::json::value& item) {
      CallLogRecord record;
      if (!index_call_log_record(item, record)) {
        ++summary.skipped;
        return;
      }
      sink(record.line);
      sink("\n");
      uint64_t length = record.line.size() + 1;
      index.add(std::move(record), offset);
      offset += length;
    });
  });
  summary.records = index.size();
  summary.file_bytes = offset;
  summary.imported_pro = true;
}

}  // namespace

std::filesystem::path call_log_path(const std::filesystem::path& data_dir) {
  return data_dir / "call_logs.ndjson";
}

CallLogLoadSummary load_call_logs(const std::filesystem::path& data_dir, CallLogIndex& index,
                                  std::vector<std::string>& warnings) {
  CallLogLoadSummary summary;
  std::filesystem::path path = call_log_path(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) throw_io_error("cannot stat", path, ec.value());
    std::filesystem::path pro_path = data_dir / "call_logs.json";
    if (auto content = read_file_if_exists(pro_path)) {
      import_pro_call_logs(pro_path, path, *content, index, summary);
      if (summary.skipped > 0)
        warnings.push_back(fmt::format("{}: skipped {} record(s) without a numeric timestamp",
                                       pro_path.string(), summary.skipped));
    }
    return summary;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io_error("cannot open", path, errno);

  // A line that fails to parse is a torn append only if nothing but blanks follows it.
  struct BadLine {
    uint64_t offset;
    std::size_t number;
    std::string error;
  };
  std::optional<BadLine> bad;
  std::optional<uint64_t> unterminated_good;  // the end of a valid last line missing its '\n'
  std::string line;
  uint64_t offset = 0;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    bool terminated = !in.eof();
    uint64_t start = offset;
    offset += line.size() + (terminated ? 1 : 0);
    if (is_blank(line)) continue;
    if (bad)
      throw g2a::Error(G2A_PARSE_FAILURE,
                       fmt::format("{}: line {}: {}", path.string(), bad->number, bad->error));
    if (line.front() == kDeletedLineMark) {
      summary.deleted_bytes += line.size() + 1;
      if (!terminated) unterminated_good = offset;
      continue;
    }
    boost::json::value v;
    std::string error;
    if (!try_parse_json(line, v, error)) {
      bad = BadLine{start, number, error};
      continue;
    }
    CallLogRecord record;
    if (!index_call_log_fields(v, record)) {
      ++summary.skipped;
      continue;
    }
    // Keep the bytes as they are on disk; re-serialising would only change doubles' text.
    record.line = line;
    index.add(std::move(record), start);
    if (!terminated) unterminated_good = offset;
  }
  if (in.bad()) throw_io_error("cannot read", path, errno);
  in.close();

  if (bad) {
    warnings.push_back(
        fmt::format("{}: ignoring torn last line {} ({}), left by an interrupted "
                    "write; cutting it off",
                    path.string(), bad->number, bad->error));
    truncate_file_durably(path, bad->offset);
    summary.dropped_torn_tail = true;
    offset = bad->offset;
  } else if (unterminated_good) {
    append_file_durably(path, "\n");  // so the next append starts on its own line
    offset = *unterminated_good + 1;
  }
  summary.file_bytes = offset;
  if (summary.skipped > 0)
    warnings.push_back(fmt::format("{}: skipped {} line(s) without a numeric timestamp",
                                   path.string(), summary.skipped));
  summary.records = index.size();
  return summary;
}

}  // namespace g2a::storage_file
