#include "core/admin/sessions.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

#include "core/runtime/clock.hpp"
#include "core/storage/store.hpp"

namespace g2a::admin {
namespace {

constexpr const char* kCollection = "sessions";

std::string random_token() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("no randomness for a session");
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (size_t i = 0; i + 2 < sizeof raw; i += 3) {
    uint32_t v = (raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2];
    for (int k = 3; k >= 0; --k) out.push_back(kAlphabet[(v >> (6 * k)) & 63]);
  }
  return out;
}

}  // namespace

std::string Sessions::hash(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

boost::asio::awaitable<std::string> Sessions::create(std::string username,
                                                     std::chrono::milliseconds ttl) {
  std::string token = random_token();
  boost::json::object doc;
  doc["username"] = username;
  auto now = runtime::now_ms();
  doc["created_ms"] = now;
  doc["expires_ms"] = now + ttl.count();
  auto put = store_.async_put(kCollection, hash(token), boost::json::serialize(doc));
  co_await std::move(put);
  co_return token;
}

boost::asio::awaitable<SessionCheck> Sessions::check(std::string token) {
  if (token.empty()) co_return SessionCheck::kMissing;
  std::string key = hash(token);
  auto get = store_.async_get(kCollection, key);
  auto doc = co_await std::move(get);
  if (!doc) co_return SessionCheck::kInvalid;
  boost::system::error_code ec;
  auto v = boost::json::parse(*doc, ec);
  if (ec || !v.is_object()) co_return SessionCheck::kInvalid;
  auto* exp = v.as_object().if_contains("expires_ms");
  if (!exp || !exp->is_int64() || exp->as_int64() < runtime::now_ms()) {
    auto remove = store_.async_remove(kCollection, key);
    co_await std::move(remove);
    co_return SessionCheck::kExpired;
  }
  co_return SessionCheck::kValid;
}

boost::asio::awaitable<void> Sessions::revoke(std::string token) {
  auto remove = store_.async_remove(kCollection, hash(token));
  co_await std::move(remove);
}

}  // namespace g2a::admin
