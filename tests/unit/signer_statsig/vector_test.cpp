// The live-captured vector, byte for byte: its fingerprint from seed, curves and indices,
// and its whole x-statsig-id for the fixed time and nonce.
#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "base64.hpp"
#include "curves.hpp"
#include "fingerprint.hpp"
#include "page_scrape.hpp"
#include "statsig_value.hpp"
#include "vector_data.hpp"

namespace g2a::test {
namespace {

using namespace g2a::statsig;

Indices vector_indices() {
  return Indices{
      vector::kGroup, vector::kSegment, {vector::kTime[0], vector::kTime[1], vector::kTime[2]}};
}

TEST(StatsigVector, FingerprintMatchesTheCapture) {
  Bytes seed = decode_seed(vector::kSeed);
  CurveTable curves = parse_curves_paths(vector::kPaths);
  EXPECT_EQ(compute_fingerprint(seed, curves, vector_indices()), vector::kFingerprint);
}

TEST(StatsigVector, WholeValueMatchesByteForByte) {
  Bytes seed = decode_seed(vector::kSeed);
  uint32_t e = statsig_time(vector::kUnixTime * 1000);
  EXPECT_EQ(e, 1787054400u - 1682924400u);
  EXPECT_EQ(
      statsig_value(seed, vector::kFingerprint, vector::kMethod, vector::kPath, e, vector::kNonce),
      vector::kValue);
}

TEST(StatsigVector, ValueLayoutIsSeventyBytesXoredWithTheNonce) {
  Bytes seed = decode_seed(vector::kSeed);
  auto raw = base64_decode(vector::kValue);
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->size(), 70u);
  EXPECT_EQ(vector::kValue.size(), 94u);  // unpadded
  EXPECT_EQ((*raw)[0], vector::kNonce);
  for (size_t i = 0; i < seed.size(); ++i) EXPECT_EQ((*raw)[1 + i] ^ vector::kNonce, seed[i]);
  uint32_t e = 0;
  for (int k = 0; k < 4; ++k) e |= uint32_t((*raw)[49 + k] ^ vector::kNonce) << (8 * k);
  EXPECT_EQ(e, statsig_time(vector::kUnixTime * 1000));
  EXPECT_EQ((*raw)[69] ^ vector::kNonce, 3);
}

TEST(StatsigVector, TimeWithinTheSecondDoesNotMatterAndNegativeTimesFloor) {
  EXPECT_EQ(statsig_time(vector::kUnixTime * 1000 + 999), statsig_time(vector::kUnixTime * 1000));
  EXPECT_EQ(statsig_time(kStatsigEpoch * 1000), 0u);
  EXPECT_EQ(statsig_time(kStatsigEpoch * 1000 - 1), 0xFFFFFFFFu);  // uint32 wrap
}

TEST(StatsigVector, OtherInputsChangeTheHash) {
  Bytes seed = decode_seed(vector::kSeed);
  uint32_t e = statsig_time(vector::kUnixTime * 1000);
  std::string base = statsig_value(seed, vector::kFingerprint, "POST", vector::kPath, e, 0x5a);
  EXPECT_NE(statsig_value(seed, vector::kFingerprint, "GET", vector::kPath, e, 0x5a), base);
  EXPECT_NE(statsig_value(seed, vector::kFingerprint, "POST", "/rest/x", e, 0x5a), base);
  EXPECT_NE(statsig_value(seed, vector::kFingerprint, "POST", vector::kPath, e + 1, 0x5a), base);
  EXPECT_NE(statsig_value(seed, vector::kFingerprint, "POST", vector::kPath, e, 0x5b), base);
}

TEST(StatsigVector, FingerprintRejectsBadInputs) {
  CurveTable curves = parse_curves_paths(vector::kPaths);
  Bytes short_seed(47, 1);
  EXPECT_THROW(compute_fingerprint(short_seed, curves, vector_indices()), g2a::Error);
  Indices outside = vector_indices();
  outside.time[2] = 48;
  EXPECT_THROW(compute_fingerprint(decode_seed(vector::kSeed), curves, outside), g2a::Error);
}

}  // namespace
}  // namespace g2a::test
