#include "call_log_record.hpp"

#include <boost/json/object.hpp>
#include <cmath>
#include <grok2api/plugin.hpp>

#include "json_parse.hpp"
#include "json_writer.hpp"

namespace g2a::storage_file {
namespace {

std::string_view string_member(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return v->get_string();
}

bool timestamp_of(const boost::json::value& v, int64_t& out) {
  switch (v.kind()) {
    case boost::json::kind::int64:
      out = v.get_int64();
      return true;
    case boost::json::kind::uint64:
      if (v.get_uint64() > static_cast<uint64_t>(INT64_MAX)) return false;
      out = static_cast<int64_t>(v.get_uint64());
      return true;
    case boost::json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d) || std::fabs(d) > 9e18) return false;
      out = static_cast<int64_t>(std::llround(d));
      return true;
    }
    default:
      return false;
  }
}

// Fills every field but `line`.
bool extract(const boost::json::value& v, CallLogRecord& out) {
  if (!v.is_object()) return false;
  const boost::json::object& o = v.get_object();
  const boost::json::value* ts = o.if_contains("timestamp");
  if (!ts || !timestamp_of(*ts, out.timestamp)) return false;
  const boost::json::value* success = o.if_contains("success");
  out.success = success && success->is_bool() && success->get_bool();
  std::string_view sso = string_member(o, "sso_full");
  if (sso.empty()) sso = string_member(o, "sso");
  out.sso.assign(sso);
  out.model.assign(string_member(o, "model"));
  const boost::json::value* rt = o.if_contains("response_time");
  out.response_time = rt && rt->is_number() ? rt->to_number<double>() : kNoResponseTime;
  return true;
}

}  // namespace

bool index_call_log_fields(const boost::json::value& v, CallLogRecord& out) {
  return extract(v, out);
}

bool index_call_log_record(const boost::json::value& v, CallLogRecord& out) {
  if (!extract(v, out)) return false;
  out.line = to_compact_json(v);
  return true;
}

CallLogRecord parse_call_log_record(std::string_view text) {
  boost::json::value v = parse_json(text, "call-log record");
  CallLogRecord out;
  if (!extract(v, out))
    throw g2a::Error(G2A_BAD_ARGUMENT,
                     "call-log record: expected a JSON object with a numeric \"timestamp\"");
  // One record per line on disk: only text with line breaks is re-serialised.
  if (text.find_first_of("\r\n") == std::string_view::npos)
    out.line.assign(text);
  else
    out.line = to_compact_json(v);
  return out;
}

std::string call_log_record_id(std::string_view line) {
  boost::json::value v;
  std::string error;
  if (!try_parse_json(line, v, error) || !v.is_object()) return {};
  return std::string(string_member(v.get_object(), "id"));
}

}  // namespace g2a::storage_file
