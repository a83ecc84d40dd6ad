// Parsing of data files and documents, with error positions a user can act on.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace g2a::storage_file {

// Parses `text` as one JSON value. On failure throws g2a::Error(G2A_PARSE_FAILURE) whose
// message starts with `what` (a file name or "document") and names line, column and offset.
boost::json::value parse_json(std::string_view text, std::string_view what);

// Same, but reports failure through the return value; `error` receives the message.
bool try_parse_json(std::string_view text, boost::json::value& out, std::string& error);

}  // namespace g2a::storage_file
