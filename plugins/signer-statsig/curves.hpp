// The per-build curves table: 4 groups of 16 curves, each 11 numbers (start r,g,b, end
// r,g,b, an angle number and 4 cubic-bezier numbers). The page embeds it as JSON in its
// React Server Component payload; the test vector writes it as SVG-like paths.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::statsig {

constexpr size_t kCurveGroups = 4;
constexpr size_t kCurvesPerGroup = 16;

struct Curve {
  std::array<double, 6> color{};  // start r,g,b then end r,g,b
  double deg = 0;
  std::array<double, 4> bezier{};
};

using CurveTable = std::array<std::array<Curve, kCurvesPerGroup>, kCurveGroups>;

// The first `"curves":[[{...}]]` table in `text` (an HTML page or a decoded RSC payload),
// its quotes possibly backslash-escaped. Throws g2a::Error(G2A_PARSE_FAILURE) when there is
// none or it is not 4 x 16 well-formed curves.
CurveTable parse_curves_json(std::string_view text);

// Four "M 10,30 C c0,c1 c2,c3 c4,c5 h d s b0,b1 b2,b3 ..." paths (the vector file's form).
CurveTable parse_curves_paths(const std::vector<std::string>& paths);

}  // namespace g2a::statsig
