// The Lua scripts behind the call log: each runs atomically on the server, so a query sees
// one consistent log and a filter by substring reads only the sorted-set members (see
// log_member.hpp), never the records it does not return.
#pragma once

#include "lua_script.hpp"

namespace g2a::storage_redis {

struct CallLogScripts {
  // KEYS seq time failed rec models batch; ARGV batch_ttl_ms, then per record: score,
  // member tail, model, record. Returns how many were added (0: the batch was applied).
  LuaScript append;
  // KEYS time failed rec; ARGV min max success sso model offset limit.
  // Returns {total, record...}, newest first.
  LuaScript query;
  // KEYS time failed; ARGV min max success sso model today. Returns {total, success, today}.
  LuaScript stats;
  // KEYS time failed; ARGV min max success sso model bucket_ms utc_offset_ms.
  // Returns {start, calls, failures, median, ...} as strings, oldest bucket first.
  LuaScript timeseries;
  // KEYS time failed rec models; ARGV keep_newest. Returns how many were removed.
  LuaScript trim;
};

const CallLogScripts& call_log_scripts();

}  // namespace g2a::storage_redis
