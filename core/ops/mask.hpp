// Masking of secrets for logs and API answers.
#pragma once

#include <string>
#include <string_view>

namespace g2a::ops {

// An SSO token as the Pro service showed it: the first 10 characters and "****".
std::string mask_token(std::string_view token);
// A password or key: "****" (or "" when empty), revealing nothing of its length.
std::string mask_secret(std::string_view secret);
// A URL with its password (and a long user name) hidden: scheme://user:****@host:port/...
std::string mask_url_credentials(std::string_view url);
// Free text (an error message) with every http(s):// URL in it credential-masked and cut
// before its query or fragment, where keys tend to live.
std::string mask_urls_in_text(std::string_view text);

}  // namespace g2a::ops
