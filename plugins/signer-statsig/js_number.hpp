// JavaScript number semantics the fingerprint depends on: Math.round and
// Number.prototype.toString(radix) as V8 prints them. The site computes its fingerprint
// in the browser, so every digit must come out as Chrome would print it.
#pragma once

#include <string>

namespace g2a::statsig {

// Math.round: halves round towards +infinity; -0.4 gives -0.
double js_round(double x);

// Math.round(x * 100) / 100, the site's 2-decimal rounding.
double js_round2(double x);

// (x).toString(radix) for radix 2..36, following V8: the shortest digit string that
// reads back as x for fractions, exact digits for integers, "NaN", "Infinity".
std::string js_to_string(double x, int radix);

}  // namespace g2a::statsig
