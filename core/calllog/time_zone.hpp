// A zone's UTC offset from its TZif file (/usr/share/zoneinfo), for "today" and day
// buckets in call-log stats, without the C++20 tz database (not in g++ 12).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::calllog {

// The offset east of UTC in seconds in force at unix_s, from TZif bytes (v1 or v2+ data);
// nullopt when the bytes are not TZif. Instants after the last transition keep its offset
// (the file's POSIX footer rule is not read).
std::optional<int32_t> utc_offset_at(std::string_view tzif, int64_t unix_s);

// The same for a zone name under zoneinfo_dir; 0 (UTC) when the file is missing or bad.
int32_t zone_offset_at(const std::string& zoneinfo_dir, const std::string& zone, int64_t unix_s);

// The first millisecond of the local day holding ms, for a fixed offset.
int64_t local_day_start_ms(int64_t ms, int32_t offset_s);

}  // namespace g2a::calllog
