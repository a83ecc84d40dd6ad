// JSON text output in the layout the Python Pro service writes, so files it wrote re-save
// byte for byte (json.dumps(..., indent=2, ensure_ascii=False)).
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace g2a::storage_file {

// One line, no spaces: documents, call-log lines.
std::string to_compact_json(const boost::json::value& v);

// Two-space indent, "key": value, empty containers as {} and [], no trailing newline.
std::string to_pretty_json(const boost::json::value& v);

}  // namespace g2a::storage_file
