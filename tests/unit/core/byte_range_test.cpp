// The Range header of file answers (GET /v1/videos/{id}/content, /videos/{name}).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/http/byte_range.hpp"

namespace {
using g2a::http::ByteRange;
using g2a::http::content_range;
using g2a::http::parse_byte_range;
using Kind = ByteRange::Kind;

void expect_partial(std::string_view header, uint64_t size, uint64_t offset, uint64_t length) {
  auto r = parse_byte_range(header, size);
  EXPECT_EQ(r.kind, Kind::kPartial) << header;
  EXPECT_EQ(r.offset, offset) << header;
  EXPECT_EQ(r.length, length) << header;
}

void expect_kind(std::string_view header, uint64_t size, Kind kind) {
  EXPECT_EQ(parse_byte_range(header, size).kind, kind) << header;
}

TEST(ByteRange, TheThreeForms) {
  expect_partial("bytes=0-99", 1000, 0, 100);
  expect_partial("bytes=500-", 1000, 500, 500);
  expect_partial("bytes=-100", 1000, 900, 100);
  expect_partial("bytes=999-999", 1000, 999, 1);
}

TEST(ByteRange, EndsAreClampedToTheFile) {
  expect_partial("bytes=900-5000", 1000, 900, 100);
  expect_partial("bytes=-5000", 1000, 0, 1000);
  expect_partial("bytes=0-99999999999999999999999", 10, 0, 10);  // saturates
}

TEST(ByteRange, NoHeaderOrAnotherUnitIsTheWholeFile) {
  auto r = parse_byte_range("", 1000);
  EXPECT_EQ(r.kind, Kind::kWhole);
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.length, 1000u);
  expect_kind("items=0-5", 1000, Kind::kWhole);
  expect_kind("BYTES=0-5", 1000, Kind::kPartial);  // the unit is case-insensitive
}

TEST(ByteRange, InvalidSyntaxIsIgnored) {
  for (std::string_view h :
       {"bytes=", "bytes=abc", "bytes=5-1", "bytes=1-2-3", "bytes=-", "bytes= 1 - 2", "bytes=0x10-",
        "bytes=-1a", "bytes", "=0-1", "bytes=0-1,zz", "bytes=,,"})
    expect_kind(h, 1000, Kind::kWhole);
}

TEST(ByteRange, UnsatisfiableRangesAre416) {
  expect_kind("bytes=1000-", 1000, Kind::kUnsatisfiable);
  expect_kind("bytes=2000-3000", 1000, Kind::kUnsatisfiable);
  expect_kind("bytes=-0", 1000, Kind::kUnsatisfiable);
  expect_kind("bytes=0-", 0, Kind::kUnsatisfiable);  // an empty file has no byte to give
  expect_kind("bytes=99999999999999999999999-", 1000, Kind::kUnsatisfiable);
}

TEST(ByteRange, AListIsServedWithItsFirstSatisfiableRange) {
  expect_partial("bytes=0-9, 20-29", 1000, 0, 10);
  expect_partial("bytes=5000-6000, 20-29", 1000, 20, 10);
  expect_partial("bytes=, 1-1 ,", 1000, 1, 1);
  expect_kind("bytes=5000-, 6000-", 1000, Kind::kUnsatisfiable);
}

TEST(ByteRange, ContentRangeHeader) {
  EXPECT_EQ(content_range(parse_byte_range("bytes=0-99", 1000), 1000), "bytes 0-99/1000");
  EXPECT_EQ(content_range(parse_byte_range("bytes=-1", 1000), 1000), "bytes 999-999/1000");
  EXPECT_EQ(content_range(parse_byte_range("bytes=1000-", 1000), 1000), "bytes */1000");
}

// A satisfiable answer lies inside the file and is never empty, whatever the header.
RC_GTEST_PROP(ByteRangeProperty, PartialAnswersLieInsideTheFile,
              (uint64_t size, std::string header)) {
  size %= 1u << 20;
  auto r = parse_byte_range(header, size);
  if (r.kind == Kind::kPartial) {
    RC_ASSERT(r.length > 0);
    RC_ASSERT(r.offset < size);
    RC_ASSERT(r.length <= size - r.offset);
  } else if (r.kind == Kind::kWhole) {
    RC_ASSERT(r.offset == 0u);
    RC_ASSERT(r.length == size);
  } else {
    RC_ASSERT(r.length == 0u);
  }
}

// Well-formed a-b headers: partial exactly when a is inside the file, then [a, min(b, end)].
RC_GTEST_PROP(ByteRangeProperty, FirstLastRangesMatchTheirDefinition,
              (uint32_t size, uint32_t a, uint32_t extra)) {
  uint64_t first = a, last = uint64_t{a} + extra;
  auto r = parse_byte_range("bytes=" + std::to_string(first) + "-" + std::to_string(last), size);
  if (first >= size) {
    RC_ASSERT(r.kind == Kind::kUnsatisfiable);
  } else {
    RC_ASSERT(r.kind == Kind::kPartial);
    RC_ASSERT(r.offset == first);
    RC_ASSERT(r.offset + r.length - 1 == std::min<uint64_t>(last, size - 1));
  }
}

// Suffix ranges are the last n bytes (all of a shorter file); -0 is unsatisfiable.
RC_GTEST_PROP(ByteRangeProperty, SuffixRangesAreTheTail, (uint32_t size, uint32_t n)) {
  auto r = parse_byte_range("bytes=-" + std::to_string(n), size);
  if (n == 0 || size == 0) {
    RC_ASSERT(r.kind == Kind::kUnsatisfiable);
  } else {
    RC_ASSERT(r.kind == Kind::kPartial);
    RC_ASSERT(r.offset + r.length == uint64_t{size});
    RC_ASSERT(r.length == std::min<uint64_t>(n, size));
  }
}

}  // namespace
