#include "core/admin/api_keys.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

namespace g2a::admin {

std::array<unsigned char, 32> ApiKeys::digest(std::string_view key) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  EVP_Digest(key.data(), key.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

std::vector<ApiKey> ApiKeys::from_settings(const config::Settings& settings) {
  std::vector<ApiKey> keys;
  if (!settings.grok.api_key.empty())
    keys.push_back({"default", digest(settings.grok.api_key), 0, {}});
  for (const auto& k : settings.global.api_keys)
    keys.push_back({k.name, digest(k.key), k.rpm, k.models});
  return keys;
}

const ApiKey* ApiKeys::find(const std::vector<ApiKey>& keys, std::string_view presented) {
  auto given = digest(presented);
  const ApiKey* match = nullptr;
  for (const auto& k : keys) {
    // No early exit: the time spent does not depend on which key matched.
    bool same = CRYPTO_memcmp(k.digest.data(), given.data(), given.size()) == 0;
    match = same ? &k : match;
  }
  return match;
}

std::shared_ptr<const std::vector<ApiKey>> ApiKeys::keys_for(
    const std::shared_ptr<const config::Settings>& settings) {
  std::lock_guard lock(mutex_);
  if (settings.get() != built_from_ || !keys_) {
    keys_ = std::make_shared<const std::vector<ApiKey>>(from_settings(*settings));
    built_from_ = settings.get();
    built_settings_ = settings;
  }
  return keys_;
}

KeyCheck ApiKeys::check(const std::shared_ptr<const config::Settings>& settings,
                        std::string_view presented, Clock::time_point now) {
  auto keys = keys_for(settings);
  KeyCheck out;
  if (keys->empty()) return out;  // kOpen
  if (presented.empty()) {
    out.result = KeyCheck::Result::kMissing;
    return out;
  }
  const ApiKey* key = find(*keys, presented);
  if (!key) {
    out.result = KeyCheck::Result::kWrong;
    return out;
  }
  out.name = key->name;
  out.result = KeyCheck::Result::kAccepted;
  if (key->rpm > 0) {
    if (auto wait = per_minute_.acquire(key->name, key->rpm, now)) {
      out.result = KeyCheck::Result::kRateLimited;
      out.retry_after = *wait;
      out.rpm = key->rpm;
    }
  }
  return out;
}

bool ApiKeys::allows(const std::shared_ptr<const config::Settings>& settings,
                     std::string_view key_name, std::string_view model) {
  if (key_name.empty()) return true;
  auto keys = keys_for(settings);
  for (const auto& k : *keys) {
    if (k.name != key_name) continue;
    return k.models.empty() || std::find(k.models.begin(), k.models.end(), model) != k.models.end();
  }
  return false;  // the key was removed since the request was authenticated
}

}  // namespace g2a::admin
