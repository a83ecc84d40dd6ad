#include "fingerprint.hpp"

#include <array>
#include <cmath>
#include <grok2api/plugin.hpp>
#include <numbers>

#include "js_number.hpp"
#include "page_scrape.hpp"
#include "unit_bezier.hpp"

namespace g2a::statsig {
namespace {

uint8_t at(const Bytes& seed, int index) {
  if (index < 0 || static_cast<size_t>(index) >= seed.size())
    throw g2a::Error(G2A_BAD_ARGUMENT, "statsig index outside the seed");
  return seed[static_cast<size_t>(index)];
}

}  // namespace

std::string compute_fingerprint(const Bytes& seed, const CurveTable& curves,
                                const Indices& indices) {
  if (seed.size() != kSeedBytes) throw g2a::Error(G2A_BAD_ARGUMENT, "the seed must be 48 bytes");
  const Curve& c =
      curves[at(seed, indices.group) % kCurveGroups][at(seed, indices.segment) % kCurvesPerGroup];

  // The animation is sampled at t ms of a 4096 ms run; the expressions keep JavaScript's
  // evaluation order so every intermediate double is the browser's.
  double product = static_cast<double>(at(seed, indices.time[0]) % 16) *
                   static_cast<double>(at(seed, indices.time[1]) % 16) *
                   static_cast<double>(at(seed, indices.time[2]) % 16);
  double t = js_round(product / 10) * 10;
  double progress = t / 4096;

  UnitBezier easing(js_round2(c.bezier[0] / 255), js_round2(c.bezier[1] * 2 / 255 - 1),
                    js_round2(c.bezier[2] / 255), js_round2(c.bezier[3] * 2 / 255 - 1));
  double eased = easing.solve(progress);

  std::array<double, 9> values{};
  for (size_t i = 0; i < 3; ++i)
    values[i] = js_round(c.color[i] + (c.color[i + 3] - c.color[i]) * eased);
  double degrees = std::floor(c.deg * 300 / 255 + 60);
  double radians = degrees * eased * std::numbers::pi / 180;
  double cos = std::cos(radians), sin = std::sin(radians);
  // A CSS rotate() as the computed matrix(a, b, c, d, tx, ty).
  values[3] = cos;
  values[4] = sin;
  values[5] = -sin;
  values[6] = cos;
  values[7] = 0;
  values[8] = 0;

  std::string out;
  for (double v : values)
    for (char ch : js_to_string(js_round2(v), 16))
      if (ch != '.' && ch != '-') out.push_back(ch);
  return out;
}

}  // namespace g2a::statsig
