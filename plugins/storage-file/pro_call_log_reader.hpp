// The Pro service's data/call_logs.json ({"logs":[...],"meta":{...}}, or a bare array) read
// one record at a time: at a million records a whole-document parse would hold gigabytes.
// Only the structure around the records (the outer object, its keys, the array) is
// scanned here; every record and every other value is still parsed by boost::json.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <string_view>

namespace g2a::storage_file {

// Calls fn with each element of the "logs" array (the last "logs" when repeated, as a
// whole-document parse keeps), in file order. Throws g2a::Error(G2A_PARSE_FAILURE) naming `what`
// and the byte offset when the text is not one JSON document of that shape.
void for_each_pro_call_log(std::string_view text, std::string_view what,
                           const std::function<void(const boost::json::value&)>& fn);

}  // namespace g2a::storage_file
