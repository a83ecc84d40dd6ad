// One line of data/call_logs.ndjson, as read back at start-up.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <grok2api/plugin.hpp>

#include "call_log_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  try {
    (void)g2a::storage_file::parse_call_log_record(line);
  } catch (const g2a::Error&) {
  } catch (const std::exception&) {
  }
  (void)g2a::storage_file::call_log_record_id(line);
  return 0;
}
