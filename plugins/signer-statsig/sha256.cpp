#include "sha256.hpp"

#include <openssl/evp.h>

#include <grok2api/plugin.hpp>

namespace g2a::statsig {

std::array<uint8_t, 32> sha256(std::string_view data) {
  std::array<uint8_t, 32> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size())
    throw g2a::Error(G2A_INTERNAL, "SHA-256 failed");
  return out;
}

std::string short_hash(std::string_view data, size_t hex_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto digest = sha256(data);
  std::string out;
  for (uint8_t b : digest) {
    if (out.size() >= hex_chars) break;
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  out.resize(std::min(out.size(), hex_chars));
  return out;
}

}  // namespace g2a::statsig
