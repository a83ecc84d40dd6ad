#include "unit_bezier.hpp"

#include <cmath>

namespace g2a::statsig {
namespace {
constexpr double kEpsilon = 1e-6;
constexpr int kNewtonSteps = 8;
// Bisection halves [0,1] each step; a double runs out of halves long before this.
constexpr int kMaxBisections = 200;
}  // namespace

UnitBezier::UnitBezier(double x1, double y1, double x2, double y2) {
  cx_ = 3 * x1;
  bx_ = 3 * (x2 - x1) - cx_;
  ax_ = 1 - cx_ - bx_;
  cy_ = 3 * y1;
  by_ = 3 * (y2 - y1) - cy_;
  ay_ = 1 - cy_ - by_;
}

double UnitBezier::solve_x(double x) const {
  double t = x;
  for (int i = 0; i < kNewtonSteps; ++i) {
    double err = sample_x(t) - x;
    if (std::fabs(err) < kEpsilon) return t;
    double d = sample_dx(t);
    if (std::fabs(d) < kEpsilon) break;
    t -= err / d;
  }
  double lo = 0, hi = 1;
  t = x;
  if (t < lo) return lo;
  if (t > hi) return hi;
  for (int i = 0; lo < hi && i < kMaxBisections; ++i) {
    double v = sample_x(t);
    if (std::fabs(v - x) < kEpsilon) return t;
    if (x > v)
      lo = t;
    else
      hi = t;
    t = (hi - lo) * 0.5 + lo;
  }
  return t;
}

double UnitBezier::solve(double x) const {
  return sample_y(solve_x(x));
}

}  // namespace g2a::statsig
