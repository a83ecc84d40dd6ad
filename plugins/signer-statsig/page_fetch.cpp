#include "page_fetch.hpp"

#include <fmt/format.h>

#include <grok2api/plugin.hpp>

#include "page_scrape.hpp"
#include "requests.hpp"
#include "rsc_payload.hpp"

namespace g2a::statsig {
namespace {

bool usable(const PageData& p, bool need_curves) {
  return p.meta && (!need_curves || p.curves);
}

}  // namespace

PageData read_page(std::string_view html, std::string url) {
  PageData p;
  p.meta = find_site_verification(html);
  p.chunk_urls = chunk_script_urls(html, url);
  try {
    p.curves = parse_curves_json(rsc_payload(html));
  } catch (const g2a::Error&) {
    try {
      p.curves = parse_curves_json(html);
    } catch (const g2a::Error& e) {
      p.curves_error = e.what();
    }
  }
  p.url = std::move(url);
  return p;
}

void fetch_page(const std::shared_ptr<HostHttp>& http, const SignerConfig& cfg, bool need_curves,
                std::function<void(PageFetchResult)> done) {
  std::string index_url = cfg.upstream_url + "/index";
  std::string root_url = cfg.upstream_url + "/";
  // The status does not matter: /index answers 404 with the meta in it.
  http->send(page_request(cfg, index_url), [http, cfg, need_curves, index_url, root_url,
                                            done = std::move(done)](HttpResult first) mutable {
    PageData index_page;
    std::string index_error;
    if (first.status == G2A_OK)
      index_page = read_page(first.body, index_url);
    else
      index_error = fmt::format("GET {}: {}", index_url, first.describe());
    if (usable(index_page, need_curves)) {
      done({true, G2A_OK, std::move(index_page), ""});
      return;
    }
    int index_http = first.http_status;
    http->send(page_request(cfg, root_url), [need_curves, index_url, root_url, index_page,
                                             index_error, index_http,
                                             done = std::move(done)](HttpResult second) mutable {
      PageFetchResult r;
      if (second.status != G2A_OK) {
        r.error = fmt::format("GET {}: {}", root_url, second.describe());
        if (!index_error.empty())
          r.error = index_error + "; " + r.error;
        else if (!index_page.meta)
          r.error = fmt::format("no grok-site-verification meta on {}; {}", index_url, r.error);
        else
          r.error = fmt::format("no curves table on {}; {}", index_url, r.error);
        r.status = index_error.empty() ? G2A_PARSE_FAILURE : G2A_IO_ERROR;
        r.page = std::move(index_page);
        done(std::move(r));
        return;
      }
      PageData root_page = read_page(second.body, root_url);
      if (usable(root_page, need_curves)) {
        done({true, G2A_OK, std::move(root_page), ""});
        return;
      }
      r.status = G2A_PARSE_FAILURE;
      // Report on the page that got furthest.
      bool prefer_index = index_page.meta && !root_page.meta;
      r.page = prefer_index ? std::move(index_page) : std::move(root_page);
      if (!r.page.meta)
        r.error =
            fmt::format("no grok-site-verification meta on {} ({}) or {} (HTTP {})", index_url,
                        index_error.empty() ? fmt::format("HTTP {}", index_http) : index_error,
                        root_url, second.http_status);
      else
        r.error = fmt::format("no curves table on {}: {}", r.page.url, r.page.curves_error);
      done(std::move(r));
    });
  });
}

}  // namespace g2a::statsig
