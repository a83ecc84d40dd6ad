// The HTTP requests the signer sends: the page as a browser navigation, chunks as the
// page's script loads, and the remote signer's JSON POST (spec §1.4).
#pragma once

#include <string>
#include <string_view>

#include "host_http.hpp"
#include "signer_config.hpp"

namespace g2a::statsig {

HttpSpec page_request(const SignerConfig& cfg, const std::string& url);
HttpSpec chunk_request(const SignerConfig& cfg, const std::string& url, const std::string& referer);
// POST remote_url {"method","path","environment":{"metaContent"}}.
HttpSpec remote_request(const SignerConfig& cfg, const RemoteTarget& target,
                        std::string_view meta_content);

}  // namespace g2a::statsig
