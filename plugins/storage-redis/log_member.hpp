// A call-log record's member in the g2a:log:time / g2a:log:failed sorted sets (score = its
// timestamp). It carries what the server-side filters read, so a query never touches the
// records it does not return:
//   <seq: 16 hex digits><success: '1'|'0'><response_time or empty>;<len(model)>:<model><sso>
// where sso is the record's sso_full (or sso) lower-cased. Members of equal score sort by
// their bytes, that is by sequence number: equal timestamps keep their append order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "call_log_record.hpp"

namespace g2a::storage_redis {

// Everything after the sequence number, which the append script prepends.
std::string log_member_tail(const storage_file::CallLogRecord& record);

// A member decoded the way the Lua scripts decode it (for tests and diagnostics).
struct LogMember {
  std::string seq;
  bool success = false;
  std::optional<double> response_time;
  std::string model;
  std::string sso_lower;
};
std::optional<LogMember> decode_log_member(std::string_view member);

// ASCII-only lower case, as storage-file compares sso and model filters.
std::string lower_ascii(std::string_view s);

// A score as Redis reads it: the exact integer.
std::string score_text(int64_t ms);

}  // namespace g2a::storage_redis
