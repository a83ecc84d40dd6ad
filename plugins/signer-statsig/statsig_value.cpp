#include "statsig_value.hpp"

#include "sha256.hpp"

namespace g2a::statsig {
namespace {

constexpr std::string_view kSalt = "obfiowerehiring";
constexpr uint8_t kVersion = 3;
constexpr size_t kHashBytes = 16;

}  // namespace

uint32_t statsig_time(int64_t now_ms) {
  int64_t seconds = now_ms / 1000 - (now_ms % 1000 < 0 ? 1 : 0);  // floor
  return static_cast<uint32_t>(seconds - kStatsigEpoch);
}

std::string statsig_value(const Bytes& seed, std::string_view fingerprint, std::string_view method,
                          std::string_view pathname, uint32_t e, uint8_t nonce) {
  std::string message;
  message.reserve(method.size() + pathname.size() + kSalt.size() + fingerprint.size() + 16);
  message.append(method).append("!").append(pathname).append("!").append(std::to_string(e));
  message.append(kSalt).append(fingerprint);
  auto hash = sha256(message);

  Bytes token;
  token.reserve(1 + seed.size() + 4 + kHashBytes + 1);
  token.push_back(nonce);
  token.insert(token.end(), seed.begin(), seed.end());
  for (int shift = 0; shift < 32; shift += 8) token.push_back(static_cast<uint8_t>(e >> shift));
  token.insert(token.end(), hash.begin(), hash.begin() + kHashBytes);
  token.push_back(kVersion);
  for (size_t i = 1; i < token.size(); ++i) token[i] ^= nonce;
  return base64_encode(token, false);
}

}  // namespace g2a::statsig
