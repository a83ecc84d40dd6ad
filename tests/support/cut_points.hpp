// A RapidCheck generator of the places where the network may cut a body into pieces.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace g2a::test {

// Cut points inside [0, size], sorted and unique.
inline rc::Gen<std::vector<size_t>> cut_points(size_t size) {
  return rc::gen::map(
      rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, size + 1)),
      [](std::vector<size_t> v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
      });
}

}  // namespace g2a::test
