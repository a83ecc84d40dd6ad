// Fetching and reading grok.com's page: GET <upstream>/index (a branded 404 that still
// carries the seed meta), then GET <upstream>/ when that page lacks what is needed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "curves.hpp"
#include "host_http.hpp"
#include "signer_config.hpp"

namespace g2a::statsig {

struct PageData {
  std::string url;
  std::optional<std::string> meta;  // the grok-site-verification content
  std::optional<CurveTable> curves;
  std::string curves_error;  // why curves is empty
  std::vector<std::string> chunk_urls;
};

// Everything the signer reads from one page (pure; curves from the decoded RSC payload,
// else from the raw HTML).
PageData read_page(std::string_view html, std::string url);

struct PageFetchResult {
  bool ok = false;             // a page with the meta (and curves when asked for) was read
  g2a_status status = G2A_OK;  // when !ok: G2A_IO_ERROR if no page arrived, else PARSE_FAILURE
  PageData page;               // the best page read, also when !ok
  std::string error;
};

// Calls done exactly once (unless the HTTP layer is closed first).
void fetch_page(const std::shared_ptr<HostHttp>& http, const SignerConfig& cfg, bool need_curves,
                std::function<void(PageFetchResult)> done);

}  // namespace g2a::statsig
