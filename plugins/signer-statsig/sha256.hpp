// SHA-256 through OpenSSL's libcrypto.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::statsig {

std::array<uint8_t, 32> sha256(std::string_view data);

// The first `hex_chars` hex digits of SHA-256(data): a name for data that does not show it.
std::string short_hash(std::string_view data, size_t hex_chars = 12);

}  // namespace g2a::statsig
