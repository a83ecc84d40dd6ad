// Delivery signatures: HMAC-SHA256 over "<timestamp>.<body>" with the receiver's secret,
// sent as X-G2A-Timestamp (Unix seconds) and X-G2A-Signature: sha256=<lower-case hex>.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::webhook {

inline constexpr std::string_view kTimestampHeader = "X-G2A-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-G2A-Signature";

// "sha256=<hex>" for this timestamp and body.
std::string signature(std::string_view secret, int64_t unix_seconds, std::string_view body);

// For logs: the first four characters and the length, never the secret itself.
std::string mask_secret(std::string_view secret);

}  // namespace g2a::webhook
