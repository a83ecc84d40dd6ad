// A Pro service's token.json or settings blob kept in a database (MySQL grok_tokens /
// grok_settings rows, Redis grok:tokens / grok:settings keys) converted by this plugin's own
// loader, so the database backends import exactly what storage-file reads from data/.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data_file.hpp"

namespace g2a::storage_file {

using KeyedDocs = std::vector<std::pair<std::string, std::string>>;  // key, JSON; in key order

// The documents of `collection` that `loader` makes of `blob`; a blob saved as a JSON string
// holding JSON is unwrapped. Throws g2a::Error(G2A_PARSE_FAILURE) naming `what` when the blob
// is not JSON, and what the loader throws on a wrong layout; the loader's warnings are added
// to `warnings`.
KeyedDocs load_pro_blob(std::string_view blob, std::string_view what, DataFile& loader,
                        std::string_view collection, std::vector<std::string>& warnings);

// How many of `docs` have a key starting with `prefix` (a token pool: "ssoNormal/").
std::size_t count_with_prefix(const KeyedDocs& docs, std::string_view prefix);

}  // namespace g2a::storage_file
