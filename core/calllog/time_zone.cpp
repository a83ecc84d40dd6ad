#include "core/calllog/time_zone.hpp"

#include <fstream>
#include <iterator>

namespace g2a::calllog {

namespace {

int64_t be(std::string_view s, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

struct Counts {
  uint64_t isut, isstd, leap, time, type, chars;
};

std::optional<Counts> header(std::string_view s, size_t at) {
  if (s.size() < at + 44 || s.substr(at, 4) != "TZif") return std::nullopt;
  Counts c{};
  uint64_t* f[] = {&c.isut, &c.isstd, &c.leap, &c.time, &c.type, &c.chars};
  for (size_t i = 0; i < 6; ++i) *f[i] = static_cast<uint32_t>(be(s, at + 20 + i * 4, 4));
  return c;
}

// The data block's size for transition times of time_size bytes.
uint64_t block_size(const Counts& c, size_t time_size) {
  return c.time * time_size + c.time + c.type * 6 + c.chars + c.leap * (time_size + 4) + c.isstd +
         c.isut;
}

}  // namespace

std::optional<int32_t> utc_offset_at(std::string_view s, int64_t unix_s) {
  auto c = header(s, 0);
  if (!c) return std::nullopt;
  size_t at = 44;
  size_t time_size = 4;
  if (s[4] >= '2') {  // skip the v1 block for the 64-bit one
    uint64_t skip = block_size(*c, 4);
    if (skip > s.size() - at) return std::nullopt;
    c = header(s, at + skip);
    if (!c) return std::nullopt;
    at += skip + 44;
    time_size = 8;
  }
  if (c->type == 0 || c->type > 256 || c->time > (1u << 20)) return std::nullopt;
  if (block_size(*c, time_size) > s.size() - at) return std::nullopt;
  size_t idx_at = at + c->time * time_size;
  size_t types_at = idx_at + c->time;
  size_t type = 0;
  for (uint64_t i = 0; i < c->time; ++i) {
    if (be(s, at + i * time_size, time_size) > unix_s) break;
    type = static_cast<unsigned char>(s[idx_at + i]);
  }
  if (type >= c->type) return std::nullopt;
  return static_cast<int32_t>(be(s, types_at + type * 6, 4));
}

int32_t zone_offset_at(const std::string& zoneinfo_dir, const std::string& zone, int64_t unix_s) {
  std::ifstream in(zoneinfo_dir + "/" + zone, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return utc_offset_at(bytes, unix_s).value_or(0);
}

int64_t local_day_start_ms(int64_t ms, int32_t offset_s) {
  constexpr int64_t kDay = 86'400'000;
  int64_t local = ms + int64_t{offset_s} * 1000;
  int64_t day = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
  return day * kDay - int64_t{offset_s} * 1000;
}

}  // namespace g2a::calllog
