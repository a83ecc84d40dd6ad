// JSON helpers for tests.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace g2a::test {

inline boost::json::value parse_json(const std::string& text) {
  return boost::json::parse(text);
}

// The value at a '/'-separated path inside v (a reference into v), or null.
inline const boost::json::value& at(const boost::json::value& v, const std::string& path) {
  static const boost::json::value null_value;
  boost::system::error_code ec;
  auto* p = v.find_pointer("/" + path, ec);
  return p ? *p : null_value;
}

}  // namespace g2a::test
