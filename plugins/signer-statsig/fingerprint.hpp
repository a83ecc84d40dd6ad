// The render fingerprint `l`: what the site's page computes from its seed and curves by
// animating one element and reading back its colour and transform (spec §1.4).
#pragma once

#include <string>

#include "base64.hpp"
#include "chunk_scrape.hpp"
#include "curves.hpp"

namespace g2a::statsig {

// Throws g2a::Error(G2A_BAD_ARGUMENT) for a seed that is not 48 bytes or indices outside it.
std::string compute_fingerprint(const Bytes& seed, const CurveTable& curves,
                                const Indices& indices);

}  // namespace g2a::statsig
