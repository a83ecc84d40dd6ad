// UTC offsets read from the system's TZif files, and the local day's first millisecond.
#include <gtest/gtest.h>

#include "core/calllog/time_zone.hpp"

namespace g2a::calllog {
namespace {

constexpr const char* kZoneinfo = "/usr/share/zoneinfo";

TEST(TimeZone, OffsetsComeFromTheZoneFile) {
  const int64_t jan_2026 = 1767225600;  // 2026-01-01T00:00:00Z
  const int64_t jul_2026 = 1782864000;  // 2026-07-01T00:00:00Z
  EXPECT_EQ(zone_offset_at(kZoneinfo, "Asia/Shanghai", jan_2026), 8 * 3600);
  EXPECT_EQ(zone_offset_at(kZoneinfo, "UTC", jan_2026), 0);
  EXPECT_EQ(zone_offset_at(kZoneinfo, "Asia/Kolkata", jan_2026), 5 * 3600 + 1800);
  // Shanghai kept daylight saving in 1987 (a transition inside the file).
  EXPECT_EQ(zone_offset_at(kZoneinfo, "Asia/Shanghai", 552096000), 9 * 3600);  // 1987-07-01
  EXPECT_EQ(zone_offset_at(kZoneinfo, "Asia/Shanghai", jul_2026), 8 * 3600);
  EXPECT_EQ(zone_offset_at(kZoneinfo, "No/Such_Zone", jan_2026), 0);
}

TEST(TimeZone, BytesThatAreNotTzifGiveNothing) {
  EXPECT_FALSE(utc_offset_at("", 0));
  EXPECT_FALSE(utc_offset_at("TZif2", 0));
  EXPECT_FALSE(utc_offset_at(std::string(100, 'x'), 0));
  std::string truncated = "TZif2" + std::string(15, '\0') + std::string(24, '\xff');
  EXPECT_FALSE(utc_offset_at(truncated, 0));
}

TEST(TimeZone, LocalDayStart) {
  // 2026-01-01T15:30Z is 23:30 in Shanghai: the day began at 2025-12-31T16:00Z.
  EXPECT_EQ(local_day_start_ms(1767281400000, 8 * 3600), 1767196800000);
  // 2026-01-01T16:30Z is 00:30 on 2 January in Shanghai.
  EXPECT_EQ(local_day_start_ms(1767285000000, 8 * 3600), 1767283200000);
  EXPECT_EQ(local_day_start_ms(1767281400000, 0), 1767225600000);
  EXPECT_EQ(local_day_start_ms(0, -5 * 3600), -86400000 + 5 * 3600 * 1000);
}

}  // namespace
}  // namespace g2a::calllog
