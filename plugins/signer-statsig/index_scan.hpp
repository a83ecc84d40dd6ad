// Finding the build's five seed positions: fetch the page's chunks in order (at most
// max_chunks) until one references module 1645e3, and read the indices from it. When that
// chunk only loads the generator, the chunks it references are fetched next.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chunk_scrape.hpp"
#include "host_http.hpp"
#include "signer_config.hpp"

namespace g2a::statsig {

struct IndexScanResult {
  std::optional<Indices> indices;
  std::string chunk_url;  // where they were found
  size_t chunks_fetched = 0;
  std::string error;  // when indices is empty
};

// Calls done exactly once (unless the HTTP layer is closed first).
void scan_indices(const std::shared_ptr<HostHttp>& http, const SignerConfig& cfg,
                  std::vector<std::string> chunk_urls, std::string referer,
                  std::function<void(IndexScanResult)> done);

}  // namespace g2a::statsig
