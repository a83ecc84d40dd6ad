// The [plugins.log-webhook] settings: one entry per receiver, validated at start-up so a
// mistake is refused with the key named instead of failing at the first delivery.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::webhook {

enum class Format { json_array, ndjson };
enum class Selection { all, failures };

struct Receiver {
  std::string url;
  Format format = Format::json_array;
  Selection records = Selection::all;
  uint32_t batch_size = 100;  // records per POST; a larger host batch is split
  uint32_t timeout_ms = 10000;
  std::string secret;  // empty = unsigned
  std::vector<std::pair<std::string, std::string>> headers;
};

// Parses the plugin's whole config table (JSON). Throws g2a::Error(G2A_BAD_ARGUMENT) with a
// message naming the key, e.g. "plugins.log-webhook.receivers[0].url: ...".
std::vector<Receiver> parse_config(std::string_view json);

// The URL without user info, query or fragment, for logs and messages.
std::string redact_url(std::string_view url);

}  // namespace g2a::webhook
