#include "json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace g2a::storage_file {
namespace {

void write_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
          out.push_back(c);
    }
  }
  out.push_back('"');
}

// Python's repr(float): shortest round-trip digits, and a ".0" on integral values so the
// number reads back as a float.
void write_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no NaN/Infinity; Boost.JSON could not read them back
    return;
  }
  std::string text = fmt::format("{}", d);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  out += text;
}

void write_value(std::string& out, const boost::json::value& v, int indent, int depth);

void newline(std::string& out, int indent, int depth) {
  if (indent <= 0) return;
  out.push_back('\n');
  out.append(static_cast<std::size_t>(indent * depth), ' ');
}

void write_object(std::string& out, const boost::json::object& o, int indent, int depth) {
  if (o.empty()) {
    out += "{}";
    return;
  }
  out.push_back('{');
  bool first = true;
  for (const auto& member : o) {
    if (!first) out.push_back(',');
    first = false;
    newline(out, indent, depth + 1);
    write_string(out, member.key());
    out += indent > 0 ? ": " : ":";
    write_value(out, member.value(), indent, depth + 1);
  }
  newline(out, indent, depth);
  out.push_back('}');
}

void write_array(std::string& out, const boost::json::array& a, int indent, int depth) {
  if (a.empty()) {
    out += "[]";
    return;
  }
  out.push_back('[');
  bool first = true;
  for (const auto& item : a) {
    if (!first) out.push_back(',');
    first = false;
    newline(out, indent, depth + 1);
    write_value(out, item, indent, depth + 1);
  }
  newline(out, indent, depth);
  out.push_back(']');
}

void write_value(std::string& out, const boost::json::value& v, int indent, int depth) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      break;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::int64:
      out += fmt::format("{}", v.get_int64());
      break;
    case boost::json::kind::uint64:
      out += fmt::format("{}", v.get_uint64());
      break;
    case boost::json::kind::double_:
      write_double(out, v.get_double());
      break;
    case boost::json::kind::string:
      write_string(out, v.get_string());
      break;
    case boost::json::kind::array:
      write_array(out, v.get_array(), indent, depth);
      break;
    case boost::json::kind::object:
      write_object(out, v.get_object(), indent, depth);
      break;
  }
}

}  // namespace

std::string to_compact_json(const boost::json::value& v) {
  std::string out;
  write_value(out, v, 0, 0);
  return out;
}

std::string to_pretty_json(const boost::json::value& v) {
  std::string out;
  write_value(out, v, 2, 0);
  return out;
}

}  // namespace g2a::storage_file
