#include "local_build.hpp"

#include "fingerprint.hpp"
#include "page_scrape.hpp"
#include "sha256.hpp"

namespace g2a::statsig {

std::shared_ptr<const LocalBuild> make_local_build(const std::string& meta_content,
                                                   const CurveTable& curves, const Indices& indices,
                                                   std::string indices_source,
                                                   int64_t prepared_at_ms) {
  auto b = std::make_shared<LocalBuild>();
  b->seed = decode_seed(meta_content);
  b->fingerprint = compute_fingerprint(b->seed, curves, indices);
  b->indices = indices;
  b->indices_source = std::move(indices_source);
  b->build_id =
      short_hash(std::string_view(reinterpret_cast<const char*>(b->seed.data()), b->seed.size()));
  b->prepared_at_ms = prepared_at_ms;
  return b;
}

}  // namespace g2a::statsig
