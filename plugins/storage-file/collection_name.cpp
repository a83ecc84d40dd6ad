#include "collection_name.hpp"

#include <fmt/format.h>

#include <grok2api/plugin.hpp>

namespace g2a::storage_file {

bool is_valid_collection_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void check_collection_name(std::string_view name) {
  if (!is_valid_collection_name(name))
    throw g2a::Error(G2A_BAD_ARGUMENT,
                     fmt::format("invalid collection name \"{}\" (expected [a-z0-9_-], 1 to 64 "
                                 "characters)",
                                 name.substr(0, 80)));
}

bool is_pro_collection(std::string_view name) {
  return name == kTokens || name == kProxies || name == kProxyAssignments || name == kVideoTasks ||
         name == kSettings;
}

}  // namespace g2a::storage_file
