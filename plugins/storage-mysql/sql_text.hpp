// Pieces of SQL text built from untrusted values without a connection: LIKE patterns and
// hex literals. Values that go in as string literals are escaped by the connection
// (Connection::quote), which knows the server's character set and SQL mode.
#pragma once

#include <string>
#include <string_view>

namespace g2a::storage_mysql {

// The escape character every LIKE pattern of this plugin declares (ESCAPE '|'): not a
// backslash, so patterns mean the same whether or not the server runs with
// NO_BACKSLASH_ESCAPES.
inline constexpr char kLikeEscape = '|';

// `text` with the LIKE wildcards % and _ and the escape character itself escaped, so the
// pattern matches `text` literally. Quote the result before putting it in a statement.
std::string like_escape(std::string_view text);

// LIKE patterns for "starts with" and "contains" `text` (escaped, not yet quoted).
std::string like_prefix(std::string_view text);
std::string like_substring(std::string_view text);

// X'<hex>' (or '' for empty): any bytes as a binary string literal, no escaping needed.
std::string hex_literal(std::string_view bytes);

// ASCII letters lower-cased, other bytes as they are (how storage-file compares).
std::string lower_ascii(std::string_view text);

}  // namespace g2a::storage_mysql
