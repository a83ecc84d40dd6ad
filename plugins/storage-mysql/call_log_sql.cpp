#include "call_log_sql.hpp"

#include <fmt/format.h>

#include <call_log_record.hpp>
#include <cmath>

#include "connection.hpp"
#include "sql_text.hpp"

namespace g2a::storage_mysql {
namespace {

constexpr std::size_t kModelBytes = 512;  // g2a_call_logs.model
constexpr std::size_t kIdBytes = 255;     // g2a_call_logs.id (an index, not the answer)

// A DOUBLE literal that reads back as the same double.
std::string double_literal(double v) {
  std::string text = fmt::format("{}", v);
  if (text.find_first_of("eE") == std::string::npos) text += "e0";
  return text;
}

}  // namespace

std::string call_log_values(Connection& conn, std::string_view record) {
  storage_file::CallLogRecord r = storage_file::parse_call_log_record(record);
  std::string id = storage_file::call_log_record_id(r.line);
  std::string_view model = std::string_view(r.model).substr(0, kModelBytes);
  return fmt::format(
      "({}, {}, {}, {}, {}, {}, {}, {})", hex_literal(std::string_view(id).substr(0, kIdBytes)),
      r.timestamp, hex_literal(lower_ascii(r.sso)), hex_literal(model),
      hex_literal(lower_ascii(model)), r.success ? 1 : 0,
      std::isnan(r.response_time) ? std::string("NULL") : double_literal(r.response_time),
      conn.quote(r.line));
}

std::string call_log_where(const LogFilter& filter, std::string_view also) {
  std::vector<std::string> terms;
  if (filter.start_ms != 0) terms.push_back(fmt::format("ts >= {}", filter.start_ms));
  if (filter.end_ms != 0) terms.push_back(fmt::format("ts <= {}", filter.end_ms));
  // As storage-file: 1 is "succeeded only", any other non-negative value "failed only".
  if (filter.success >= 0)
    terms.push_back(fmt::format("success = {}", filter.success == 1 ? 1 : 0));
  // The columns hold lower-cased bytes and compare byte-wise (VARBINARY/BLOB).
  if (!filter.sso.empty())
    terms.push_back(fmt::format("sso_full LIKE {} ESCAPE '{}'",
                                hex_literal(like_substring(lower_ascii(filter.sso))), kLikeEscape));
  if (!filter.model.empty())
    terms.push_back(fmt::format("model_lc LIKE {} ESCAPE '{}'",
                                hex_literal(like_substring(lower_ascii(filter.model))),
                                kLikeEscape));
  if (!also.empty()) terms.emplace_back(also);
  if (terms.empty()) return {};
  return fmt::format(" WHERE {}", fmt::join(terms, " AND "));
}

std::string call_log_where(const LogFilter& filter) {
  return call_log_where(filter, {});
}

std::string bucket_number_sql(int64_t bucket_ms, int64_t utc_offset_ms) {
  return fmt::format("FLOOR((ts + ({})) / {})", utc_offset_ms, bucket_ms);
}

}  // namespace g2a::storage_mysql
