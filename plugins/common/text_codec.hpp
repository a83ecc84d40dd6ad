// Small text helpers the bundled plugins share: plain ids, trimming, hex digits, and the
// percent-encoding of the user name and password in a proxy or database URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace g2a::plugin_common {

// 1..200 characters of [A-Za-z0-9_-]: the ids grok.com uses (fileMetadataIds, conversation
// and response ids), safe to put into URL paths, frames and bodies as they are.
bool plain_id(std::string_view id);
// Without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);
// The value of one hex digit (either case), or -1.
int hex_value(char c);
// %XX decoded; a '%' that starts no valid escape stays as it is.
std::string percent_decode(std::string_view s);
// %XX decoded; std::nullopt when a '%' starts no valid escape.
std::optional<std::string> percent_decode_strict(std::string_view s);
// Everything but ALPHA, DIGIT and -._~ as %XX (upper-case hex).
std::string percent_encode(std::string_view s);

}  // namespace g2a::plugin_common
