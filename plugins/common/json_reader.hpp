// Lenient readers for upstream JSON: a missing or mistyped field reads as absent, so an
// unexpected shape from grok.com degrades to "ignored" instead of an exception.
#pragma once

#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::plugin_common {

// The value at a chain of object keys, or nullptr when any step is missing.
const boost::json::value* at(const boost::json::value& v,
                             std::initializer_list<std::string_view> keys);
// The string at keys, or "" when absent or not a string.
std::string_view str_at(const boost::json::value& v, std::initializer_list<std::string_view> keys);
// The bool at keys, or `fallback` when absent or not a bool.
bool bool_at(const boost::json::value& v, std::initializer_list<std::string_view> keys,
             bool fallback);
// A number at keys (integer or double), or nullopt.
std::optional<double> number_at(const boost::json::value& v,
                                std::initializer_list<std::string_view> keys);
// An error code as text: strings as they are, numbers serialised ("8"), else "".
std::string code_text(const boost::json::value* v);

// Parses every JSON value in `text` (one or more, whitespace between them allowed: some
// servers put several objects on one line). False when any part is not JSON.
bool parse_values(std::string_view text, std::vector<boost::json::value>& out);

}  // namespace g2a::plugin_common
