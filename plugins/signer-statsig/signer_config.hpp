// [plugins.signer-statsig] plus the keys the host injects (upstream_url, dynamic_statsig,
// x_statsig_id), read once at create. Defaults are documented in README.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chunk_scrape.hpp"

namespace g2a::statsig {

enum class Strategy { kAuto, kLocal, kRemote, kFixed, kX1 };

std::string_view strategy_name(Strategy s);

// "POST /rest/app-chat/conversations/new": a request the remote signer is asked about.
struct RemoteTarget {
  std::string method, path;
  std::string key() const { return method + " " + path; }
};

struct SignerConfig {
  Strategy strategy = Strategy::kAuto;
  std::string upstream_url = "https://grok.com";
  bool dynamic_statsig = true;
  std::string fixed_value;  // x_statsig_id
  std::string remote_url;
  bool allow_x1_fallback = false;
  std::optional<Indices> indices;
  uint32_t refresh_interval_s = 3600;
  std::string user_agent;
  std::string accept_language = "en-US,en;q=0.9";
  std::string cookie;  // sent on page and chunk GETs only; never logged
  std::string proxy_url;
  uint32_t timeout_ms = 15000;
  uint32_t max_chunks = 48;
  std::vector<RemoteTarget> remote_paths = {{"POST", "/rest/app-chat/conversations/new"}};
  uint32_t remote_batch = 4;
  uint32_t remote_max_age_s = 300;

  // What "auto" means for this table: fixed when dynamic_statsig is false.
  Strategy base_strategy() const;
};

extern const char* const kDefaultUserAgent;

// Throws g2a::Error(G2A_BAD_ARGUMENT) naming the offending key.
SignerConfig parse_signer_config(std::string_view json);

}  // namespace g2a::statsig
