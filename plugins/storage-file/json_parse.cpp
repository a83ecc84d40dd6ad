#include "json_parse.hpp"

#include <fmt/format.h>

#include <boost/json/parser.hpp>
#include <grok2api/plugin.hpp>

namespace g2a::storage_file {
namespace {

// Deep enough for any document we store; Boost's default of 32 is too tight for user data.
constexpr std::size_t kMaxDepth = 512;

std::string describe_position(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {} (byte {})", line, column, offset);
}

}  // namespace

bool try_parse_json(std::string_view text, boost::json::value& out, std::string& error) {
  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::json::parser parser({}, options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (ec) {
    error = fmt::format("parse error at {}: {}", describe_position(text, consumed), ec.message());
    return false;
  }
  out = parser.release();
  return true;
}

boost::json::value parse_json(std::string_view text, std::string_view what) {
  boost::json::value out;
  std::string error;
  if (!try_parse_json(text, out, error))
    throw g2a::Error(G2A_PARSE_FAILURE, fmt::format("{}: {}", what, error));
  return out;
}

}  // namespace g2a::storage_file
