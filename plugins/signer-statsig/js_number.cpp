#include "js_number.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace g2a::statsig {
namespace {

constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr double kTwoPow53 = 9007199254740992.0;

// Fraction digits of 0 <= fraction < 1, stopping once the digits written pin the double
// down (within half the gap to its upper neighbour), rounding the last digit half-to-even.
// Returns whether rounding carried into the integer part.
bool fraction_digits(double value, double fraction, int radix, std::string& out) {
  double delta = 0.5 * (std::nextafter(value, std::numeric_limits<double>::infinity()) - value);
  delta = std::max(delta, std::numeric_limits<double>::denorm_min());
  if (fraction < delta) return false;
  std::string digits;  // digit values, not characters, until the end
  for (;;) {
    fraction *= radix;
    delta *= radix;
    int digit = static_cast<int>(fraction);
    digits.push_back(static_cast<char>(digit));
    fraction -= digit;
    bool round_up = fraction > 0.5 || (fraction == 0.5 && (digit & 1) != 0);
    if (round_up && fraction + delta > 1) {
      // Round the written digits up; digits that overflow drop off the end.
      bool carried = true;
      while (!digits.empty()) {
        int last = digits.back();
        digits.pop_back();
        if (last + 1 < radix) {
          digits.push_back(static_cast<char>(last + 1));
          carried = false;
          break;
        }
      }
      if (carried) return true;
      break;
    }
    if (fraction < delta) break;
  }
  out.push_back('.');
  for (char d : digits) out.push_back(kDigits[static_cast<int>(d)]);
  return false;
}

// Digits of a non-negative integral double, most significant first. Above 2^53 the low
// digits carry no information and print as zeros, as V8 does.
std::string integer_digits(double integer, int radix) {
  std::string reversed;
  while (integer / radix >= kTwoPow53) {
    integer /= radix;
    reversed.push_back('0');
  }
  do {
    double remainder = std::fmod(integer, radix);
    reversed.push_back(kDigits[static_cast<int>(remainder)]);
    integer = (integer - remainder) / radix;
  } while (integer > 0);
  return std::string(reversed.rbegin(), reversed.rend());
}

}  // namespace

double js_round(double x) {
  if (!std::isfinite(x) || x == 0) return x;
  double floor = std::floor(x);
  double result = x - floor >= 0.5 ? floor + 1 : floor;
  return result == 0 && x < 0 ? -0.0 : result;
}

double js_round2(double x) {
  return js_round(x * 100) / 100;
}

std::string js_to_string(double x, int radix) {
  if (radix < 2 || radix > 36) throw std::invalid_argument("radix must be 2..36");
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x == 0) return "0";  // also -0

  bool negative = x < 0;
  double value = std::fabs(x);
  double integer = std::floor(value);
  std::string fraction;
  if (fraction_digits(value, value - integer, radix, fraction)) integer += 1;

  std::string out = negative ? "-" : "";
  out += integer_digits(integer, radix);
  out += fraction;
  return out;
}

}  // namespace g2a::statsig
