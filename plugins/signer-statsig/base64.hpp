// Standard base64 (RFC 4648 alphabet): decoding with or without padding, encoding with or
// without it. x-statsig-id values are unpadded; the page's seed usually is padded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::statsig {

using Bytes = std::vector<uint8_t>;

std::string base64_encode(const uint8_t* data, size_t len, bool pad);
inline std::string base64_encode(const Bytes& data, bool pad) {
  return base64_encode(data.data(), data.size(), pad);
}

// nullopt for characters outside the alphabet, misplaced padding or an impossible length.
std::optional<Bytes> base64_decode(std::string_view text);

}  // namespace g2a::statsig
