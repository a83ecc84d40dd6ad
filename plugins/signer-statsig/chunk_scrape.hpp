// The five seed positions a site build reads, scraped from its generator chunk: the script
// that references webpack/turbopack module 1645e3. These patterns track the minified site
// and are the most fragile part of the signer (see README.md).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::statsig {

struct Indices {
  int group = 0;              // seed[group] % 4 picks the curve group
  int segment = 0;            // seed[segment] % 16 picks the curve in it
  std::array<int, 3> time{};  // seed bytes that set the animation time
  bool operator==(const Indices&) const = default;
};

// Whether the chunk references module 1645e3 (or its long form 1645000) as a token.
bool references_generator(std::string_view chunk);

// group = N of the first `[x[N]%4]`, segment = N of the first `[x[N]%16]`, time = the N
// of the first three `(x[N],16)`, x any JavaScript identifier and spaces allowed around
// the operators. When there is no `[x[N]%16]`, a chunk with four `(x[N],16)` reads as
// segment then time (the layout of some earlier builds). nullopt when the chunk lacks
// them or an N is not a seed position.
std::optional<Indices> parse_indices(std::string_view chunk);

// The other chunks a chunk loads ("static/chunks/....js" string literals), absolute
// against chunk_url, in order and without duplicates.
std::vector<std::string> chunk_references(std::string_view chunk, std::string_view chunk_url);

}  // namespace g2a::statsig
