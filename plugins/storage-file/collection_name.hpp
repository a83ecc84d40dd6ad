// Collection names: which ones live in Pro-format files, and which names are acceptable
// (they become file names for every other collection).
#pragma once

#include <string_view>

namespace g2a::storage_file {

inline constexpr std::string_view kTokens = "tokens";
inline constexpr std::string_view kProxies = "proxies";
inline constexpr std::string_view kProxyAssignments = "proxy_assignments";
inline constexpr std::string_view kVideoTasks = "video_tasks";
inline constexpr std::string_view kSettings = "settings";

// Throws g2a::Error(G2A_BAD_ARGUMENT) unless name matches [a-z0-9_-]{1,64}.
void check_collection_name(std::string_view name);
bool is_valid_collection_name(std::string_view name);

// True for the collections kept in the Pro service's own files rather than data/store/.
bool is_pro_collection(std::string_view name);

}  // namespace g2a::storage_file
