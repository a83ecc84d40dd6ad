// The admin password as stored in global.admin_password: the password itself (the Pro
// form) or pbkdf2-sha256$<iterations>$<salt base64>$<hash base64> (PBKDF2-HMAC-SHA256,
// 32-byte hash, standard base64 with padding), as `grok2api --hash-password` prints it.
#pragma once

#include <string>
#include <string_view>

namespace g2a::admin {

inline constexpr int kDefaultPasswordIterations = 600000;

// A new hash with a random 16-byte salt.
std::string hash_password(std::string_view password, int iterations = kDefaultPasswordIterations);

// Whether stored has the hash form (a malformed one counts too, so that it never works
// as a plain password).
bool is_password_hash(std::string_view stored);

// Whether given matches stored (a hash or a plain password), in constant time for a
// given stored value. A malformed hash matches nothing.
bool verify_password(std::string_view given, std::string_view stored);

}  // namespace g2a::admin
