// The Pro service's call_logs.json as a migrating user copies it in, read one record at a
// time (pro_call_log_reader.cpp). Differential: whatever the reader accepts, a whole-
// document parse accepts too and finds the same records under "logs".
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <grok2api/plugin.hpp>

#include "json_parse.hpp"
#include "pro_call_log_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<boost::json::value> records;
  bool accepted = true;
  try {
    g2a::storage_file::for_each_pro_call_log(
        text, "call_logs.json", [&](const boost::json::value& v) { records.push_back(v); });
  } catch (const g2a::Error&) {
    accepted = false;
  }
  boost::json::value whole;
  std::string error;
  bool whole_ok = g2a::storage_file::try_parse_json(text, whole, error);
  if (!accepted) return 0;
  if (!whole_ok) __builtin_trap();  // the reader took text that is not JSON
  const boost::json::array* logs = whole.if_array();
  if (const auto* o = whole.if_object())
    if (const auto* v = o->if_contains("logs")) logs = v->if_array();
  if (!logs || logs->size() != records.size()) __builtin_trap();
  for (std::size_t i = 0; i < records.size(); ++i)
    if ((*logs)[i] != records[i]) __builtin_trap();
  return 0;
}
