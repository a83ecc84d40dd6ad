// CSS cubic-bezier easing solved the way WebKit's UnitBezier does it (Newton's method,
// then bisection), because the site's fingerprint is the browser's result.
#pragma once

namespace g2a::statsig {

class UnitBezier {
 public:
  UnitBezier(double x1, double y1, double x2, double y2);
  // The eased value at progress x (0..1).
  double solve(double x) const;

 private:
  double sample_x(double t) const { return ((ax_ * t + bx_) * t + cx_) * t; }
  double sample_y(double t) const { return ((ay_ * t + by_) * t + cy_) * t; }
  double sample_dx(double t) const { return (3 * ax_ * t + 2 * bx_) * t + cx_; }
  double solve_x(double x) const;

  double ax_, bx_, cx_, ay_, by_, cy_;
};

}  // namespace g2a::statsig
