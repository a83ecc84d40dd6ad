#include "x1_fallback.hpp"

#include "base64.hpp"

namespace g2a::statsig {

std::string x1_value(uint64_t random) {
  std::string name;
  for (int i = 0; i < 10; ++i) {
    name.push_back(static_cast<char>('a' + random % 26));
    random /= 26;
  }
  std::string message =
      "x1:TypeError: Cannot read properties of undefined (reading '" + name + "')";
  return base64_encode(reinterpret_cast<const uint8_t*>(message.data()), message.size(), true);
}

}  // namespace g2a::statsig
