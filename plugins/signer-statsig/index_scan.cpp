#include "index_scan.hpp"

#include <fmt/format.h>

#include <deque>
#include <unordered_set>

#include "requests.hpp"

namespace g2a::statsig {
namespace {

class Scan : public std::enable_shared_from_this<Scan> {
 public:
  Scan(std::shared_ptr<HostHttp> http, const SignerConfig& cfg, std::vector<std::string> urls,
       std::string referer, std::function<void(IndexScanResult)> done)
      : http_(std::move(http)),
        cfg_(cfg),
        queue_(urls.begin(), urls.end()),
        seen_(urls.begin(), urls.end()),
        referer_(std::move(referer)),
        done_(std::move(done)) {}

  void next() {
    if (queue_.empty() || result_.chunks_fetched >= cfg_.max_chunks) {
      result_.error =
          generator_seen_
              ? fmt::format(
                    "the chunk referencing module 1645e3 has no readable indices "
                    "({} chunks fetched)",
                    result_.chunks_fetched)
              : fmt::format("no chunk references module 1645e3 ({} of the page's chunks fetched)",
                            result_.chunks_fetched);
      if (!last_error_.empty()) result_.error += "; last failure: " + last_error_;
      finish();
      return;
    }
    std::string url = std::move(queue_.front());
    queue_.pop_front();
    ++result_.chunks_fetched;
    auto self = shared_from_this();
    http_->send(chunk_request(cfg_, url, referer_),
                [self, url](HttpResult r) { self->on_chunk(url, std::move(r)); });
  }

 private:
  void on_chunk(const std::string& url, HttpResult r) {
    if (!r.ok_2xx()) {
      last_error_ = fmt::format("GET {}: {}", url, r.describe());
      next();
      return;
    }
    if (!references_generator(r.body)) {
      next();
      return;
    }
    generator_seen_ = true;
    if (auto found = parse_indices(r.body)) {
      result_.indices = found;
      result_.chunk_url = url;
      finish();
      return;
    }
    // A loader of the generator: its own chunk references come next, in their order.
    auto refs = chunk_references(r.body, url);
    for (auto it = refs.rbegin(); it != refs.rend(); ++it)
      if (seen_.insert(*it).second) queue_.push_front(*it);
    next();
  }

  void finish() {
    auto done = std::move(done_);
    done(std::move(result_));
  }

  std::shared_ptr<HostHttp> http_;
  SignerConfig cfg_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> seen_;
  std::string referer_;
  std::function<void(IndexScanResult)> done_;
  IndexScanResult result_;
  bool generator_seen_ = false;
  std::string last_error_;
};

}  // namespace

void scan_indices(const std::shared_ptr<HostHttp>& http, const SignerConfig& cfg,
                  std::vector<std::string> chunk_urls, std::string referer,
                  std::function<void(IndexScanResult)> done) {
  auto scan =
      std::make_shared<Scan>(http, cfg, std::move(chunk_urls), std::move(referer), std::move(done));
  scan->next();
}

}  // namespace g2a::statsig
