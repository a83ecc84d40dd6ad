#include "core/admin/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace g2a::admin {
namespace {

constexpr std::string_view kPrefix = "pbkdf2-sha256$";
constexpr size_t kHashBytes = 32;
constexpr int kMaxIterations = 10'000'000;  // a bound on the work one login can cost

std::string base64(const std::vector<unsigned char>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool unbase64(std::string_view text, std::vector<unsigned char>& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  out.assign(3 * text.size() / 4, 0);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return true;
}

std::vector<unsigned char> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                  int iterations) {
  std::vector<unsigned char> out(kHashBytes);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return out;
}

}  // namespace

std::string hash_password(std::string_view password, int iterations) {
  if (iterations < 1 || iterations > kMaxIterations)
    throw std::invalid_argument("iterations out of range");
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("no randomness for a salt");
  return fmt::format("{}{}${}${}", kPrefix, iterations, base64(salt),
                     base64(derive(password, salt, iterations)));
}

bool is_password_hash(std::string_view stored) {
  return stored.starts_with(kPrefix);
}

bool verify_password(std::string_view given, std::string_view stored) {
  if (!is_password_hash(stored)) {
    // Plain: compare digests so that the time does not depend on where they differ.
    unsigned char a[EVP_MAX_MD_SIZE], b[EVP_MAX_MD_SIZE];
    unsigned int la = 0, lb = 0;
    EVP_Digest(given.data(), given.size(), a, &la, EVP_sha256(), nullptr);
    EVP_Digest(stored.data(), stored.size(), b, &lb, EVP_sha256(), nullptr);
    return la == lb && CRYPTO_memcmp(a, b, la) == 0;
  }
  auto rest = stored.substr(kPrefix.size());
  auto d1 = rest.find('$');
  if (d1 == std::string_view::npos) return false;
  auto d2 = rest.find('$', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  auto iter_text = rest.substr(0, d1);
  int iterations = 0;
  auto [end, ec] =
      std::from_chars(iter_text.data(), iter_text.data() + iter_text.size(), iterations);
  if (ec != std::errc() || end != iter_text.data() + iter_text.size() || iterations < 1 ||
      iterations > kMaxIterations)
    return false;
  std::vector<unsigned char> salt, expected;
  if (!unbase64(rest.substr(d1 + 1, d2 - d1 - 1), salt) ||
      !unbase64(rest.substr(d2 + 1), expected) || expected.size() != kHashBytes)
    return false;
  auto actual = derive(given, salt, iterations);
  return CRYPTO_memcmp(actual.data(), expected.data(), kHashBytes) == 0;
}

}  // namespace g2a::admin
