#include "webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <grok2api/plugin.hpp>

namespace g2a::webhook {

std::string signature(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string message = std::to_string(unix_seconds);
  message += '.';
  message += body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len))
    throw g2a::Error(G2A_INTERNAL, "HMAC-SHA256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < mac_len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

std::string mask_secret(std::string_view secret) {
  if (secret.size() <= 8) return "***(" + std::to_string(secret.size()) + " chars)";
  return std::string(secret.substr(0, 4)) + "***(" + std::to_string(secret.size()) + " chars)";
}

}  // namespace g2a::webhook
