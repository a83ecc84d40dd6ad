// Asking the remote signer for values: `count` POSTs for one "METHOD /path", in parallel.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host_http.hpp"
#include "signer_config.hpp"

namespace g2a::statsig {

struct RemoteFetchResult {
  std::vector<std::string> values;  // each decodes to 70 bytes
  std::string error;                // the last failure, if any
};

// The x-statsig-id of a remote answer {"x-statsig-id":"..."}, when it decodes to 70 bytes.
std::optional<std::string> parse_remote_answer(std::string_view body);

// Calls done exactly once (unless the HTTP layer is closed first).
void fetch_remote(const std::shared_ptr<HostHttp>& http, const SignerConfig& cfg,
                  const RemoteTarget& target, const std::string& meta_content, size_t count,
                  std::function<void(RemoteFetchResult)> done);

// "POST /path" back into a target.
RemoteTarget target_of_key(std::string_view key);

}  // namespace g2a::statsig
