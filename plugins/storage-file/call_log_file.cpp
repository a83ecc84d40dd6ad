#include "call_log_file.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cerrno>
#include <fstream>
#include <grok2api/plugin.hpp>
#include <optional>

#include "durable_file.hpp"
#include "json_parse.hpp"

namespace g2a::storage_file {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Converts the Pro file into the ndjson; the Pro file itself is not modified.
void import_pro_call_logs(const std::filesystem::path& pro_path,
                          const std::filesystem::path& ndjson_path, const std::string& content,
                          CallLogIndex& index, CallLogLoadSummary& summary) {
  boost::json::value root = parse_json(content, pro_path.string());
  const boost::json::array* logs = nullptr;
  if (root.is_object()) {
    if (const auto* v = root.get_object().if_contains("logs")) logs = v->if_array();
  } else {
    logs = root.if_array();
  }
  if (!logs)
    throw g2a::Error(G2A_PARSE_FAILURE,
                     fmt::format("{}: expected {{\"logs\": [...]}}", pro_path.string()));
  std::vector<CallLogRecord> records;
  records.reserve(logs->size());
  for (const auto& item : *logs) {
    CallLogRecord record;
    if (index_call_log_record(item, record))
      records.push_back(std::move(record));
    else
      ++summary.skipped;
  }
  replace_file_durably(ndjson_path, [&](const ContentSink& sink) {
    for (const auto& r : records) {
      sink(r.line);
      sink("\n");
    }
  });
  index.reserve(records.size());
  for (auto& r : records) index.add(std::move(r));
  summary.records = index.size();
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
    boost::json::value v;
    std::string error;
    if (!try_parse_json(line, v, error)) {
      bad = BadLine{start, number, error};
      continue;
    }
    CallLogRecord record;
    if (!index_call_log_record(v, record)) {
      ++summary.skipped;
      continue;
    }
    // Keep the bytes as they are on disk; re-serialising would only change doubles' text.
    record.line = line;
    index.add(std::move(record));
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
  } else if (unterminated_good) {
    append_file_durably(path, "\n");  // so the next append starts on its own line
  }
  if (summary.skipped > 0)
    warnings.push_back(fmt::format("{}: skipped {} line(s) without a numeric timestamp",
                                   path.string(), summary.skipped));
  summary.records = index.size();
  return summary;
}

}  // namespace g2a::storage_file
