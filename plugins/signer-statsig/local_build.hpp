// What local signing needs from one site build: the page's seed and the fingerprint its
// curves and indices give. Immutable once made, so sign() reads it without locking while a
// refresh prepares the next one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base64.hpp"
#include "chunk_scrape.hpp"
#include "curves.hpp"

namespace g2a::statsig {

struct LocalBuild {
  Bytes seed;
  std::string fingerprint;
  Indices indices;
  std::string indices_source;  // "config" or the chunk URL they were read from
  std::string build_id;        // short hash of the seed, for status and logs
  int64_t prepared_at_ms = 0;
};

// Throws g2a::Error (G2A_PARSE_FAILURE / G2A_BAD_ARGUMENT) for a bad seed or indices.
std::shared_ptr<const LocalBuild> make_local_build(const std::string& meta_content,
                                                   const CurveTable& curves, const Indices& indices,
                                                   std::string indices_source,
                                                   int64_t prepared_at_ms);

}  // namespace g2a::statsig
