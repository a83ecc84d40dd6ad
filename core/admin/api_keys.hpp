// The keys of /v1: grok.api_key (named "default") and [[global.api_keys]], each with an
// optional requests-per-minute limit and model allow-list.
//
// Lookup is constant-time in the key's content: the presented key's SHA-256 digest is
// compared with every configured digest by CRYPTO_memcmp, without stopping at a match.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/admin/sliding_window.hpp"
#include "core/config/settings.hpp"

namespace g2a::admin {

struct ApiKey {
  std::string name;
  std::array<unsigned char, 32> digest{};  // SHA-256 of the key
  int64_t rpm = 0;                         // 0 = no limit
  std::vector<std::string> models;         // [] = every model
};

struct KeyCheck {
  enum class Result { kOpen, kAccepted, kMissing, kWrong, kRateLimited };
  Result result = Result::kOpen;
  std::string name;                          // kAccepted, kRateLimited: the key's name
  std::chrono::milliseconds retry_after{0};  // kRateLimited
  int64_t rpm = 0;                           // kRateLimited: the key's limit
};

class ApiKeys {
 public:
  using Clock = SlidingWindow::Clock;

  // The keys of these settings.
  static std::vector<ApiKey> from_settings(const config::Settings& settings);
  static std::array<unsigned char, 32> digest(std::string_view key);

  // Finds the key whose digest matches; scans every key whatever the outcome.
  static const ApiKey* find(const std::vector<ApiKey>& keys, std::string_view presented);

  // Authenticates a Bearer value against the settings' keys and, when accepted, counts
  // the request against the key's rpm. The key list is rebuilt when settings change.
  KeyCheck check(const std::shared_ptr<const config::Settings>& settings,
                 std::string_view presented, Clock::time_point now = Clock::now());

  // Whether the key named key_name may use model; true when /v1 is open (empty name).
  bool allows(const std::shared_ptr<const config::Settings>& settings, std::string_view key_name,
              std::string_view model);

 private:
  std::shared_ptr<const std::vector<ApiKey>> keys_for(
      const std::shared_ptr<const config::Settings>& settings);

  std::mutex mutex_;
  const config::Settings* built_from_ = nullptr;
  std::shared_ptr<const config::Settings> built_settings_;  // keeps built_from_ alive
  std::shared_ptr<const std::vector<ApiKey>> keys_;
  SlidingWindow per_minute_{std::chrono::minutes(1)};
};

}  // namespace g2a::admin
