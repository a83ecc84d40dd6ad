// The call log in g2a_call_logs: how a record becomes a row, and the SQL of the admin
// filters, so that queries, stats and charts run in the server with storage-file's
// semantics (case-insensitive ASCII substrings, inclusive ms bounds, newest first with
// ties in append order).
#pragma once

#include <cstdint>
#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::storage_mysql {

class Connection;

// The VALUES tuple of one record for
// INSERT INTO g2a_call_logs (id, ts, sso_full, model, model_lc, success, response_time, record).
// Throws like storage-file does for a record that is not an object with a numeric
// "timestamp".
std::string call_log_values(Connection& conn, std::string_view record);
inline constexpr std::string_view kCallLogColumns =
    "(id, ts, sso_full, model, model_lc, success, response_time, record)";

// " WHERE ..." for a filter, or "" when it has no constraint. Uses only hex literals, so
// it needs no connection.
std::string call_log_where(const LogFilter& filter);

// The same filter with one more condition ANDed ("" adds none).
std::string call_log_where(const LogFilter& filter, std::string_view also);

// The bucket number of a row: floor((ts + utc_offset_ms) / bucket_ms).
std::string bucket_number_sql(int64_t bucket_ms, int64_t utc_offset_ms);

}  // namespace g2a::storage_mysql
