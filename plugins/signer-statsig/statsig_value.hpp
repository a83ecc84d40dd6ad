// One x-statsig-id value: the 70-byte token of spec §1.4, XOR-masked and base64 encoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base64.hpp"

namespace g2a::statsig {

// The token counts seconds from 2023-05-01T07:00:00Z.
constexpr int64_t kStatsigEpoch = 1682924400;

// e = uint32(unix seconds - epoch), from a wall time in milliseconds.
uint32_t statsig_time(int64_t now_ms);

// base64 (unpadded) of nonce, then seed(48), e (little endian), the first 16 bytes of
// SHA-256("METHOD!pathname!e" + salt + fingerprint) and a version byte, all but the
// nonce XORed with it. method and pathname are used as given.
std::string statsig_value(const Bytes& seed, std::string_view fingerprint, std::string_view method,
                          std::string_view pathname, uint32_t e, uint8_t nonce);

}  // namespace g2a::statsig
