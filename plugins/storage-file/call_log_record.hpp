// One call-log record: the fields queries filter on, extracted once, plus the record as a
// single line of JSON (how it is stored and returned).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace g2a::storage_file {

// A record without a numeric "response_time" (JSON has no NaN).
inline constexpr double kNoResponseTime = std::numeric_limits<double>::quiet_NaN();

struct CallLogRecord {
  int64_t timestamp = 0;  // ms since the epoch
  bool success = false;
  std::string sso;                         // "sso_full", or "sso" when sso_full is empty
  std::string model;                       // as recorded (log_models returns it as is)
  double response_time = kNoResponseTime;  // seconds, for log_timeseries
  std::string line;                        // the record as one line of JSON, no newline
};

// Parses a record handed to log_append or read from the ndjson file. Throws g2a::Error:
// G2A_PARSE_FAILURE for bad JSON, G2A_BAD_ARGUMENT for JSON that is not an object with a
// numeric "timestamp". Text without line breaks is kept byte for byte.
CallLogRecord parse_call_log_record(std::string_view text);

// The same from an already parsed record (the Pro call_logs.json import). Returns false
// when `v` is not an object with a numeric "timestamp".
bool index_call_log_record(const boost::json::value& v, CallLogRecord& out);

// Every field but `line` (for a line read back from the ndjson, which is kept as it is).
bool index_call_log_fields(const boost::json::value& v, CallLogRecord& out);

// The record's "id" ("" when it has none), for the key a query visitor receives.
std::string call_log_record_id(std::string_view line);

}  // namespace g2a::storage_file
