// The public model ids and what they mean upstream: grok.com takes modes (fast, auto,
// expert, heavy, the computer-use beta), not model names; the Pro ids stay as aliases.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/settings.hpp"

namespace g2a::openai {

enum class ModelKind { kChat, kImage, kVideo };

struct ModelEntry {
  std::string id;
  ModelKind kind = ModelKind::kChat;
  std::string mode;                // chat: the grok.com mode; image: imagine|imagine-pro|lite
  std::vector<std::string> tiers;  // account tiers that may serve it: basic, super, heavy
  bool listed = true;              // shown by /v1/models (grok4.1 is accepted, not listed)
  std::string description;
};

class ModelTable {
 public:
  // The built-in table (documented in README.md).
  static ModelTable defaults();
  // The built-in table with the [[models]] entries merged over it by id. Throws
  // config::ConfigError naming the entry ("models[2].mode") for an impossible one.
  static ModelTable with_settings(const std::vector<config::ModelSetting>& entries);

  const ModelEntry* find(const std::string& id) const;
  const std::vector<ModelEntry>& entries() const { return entries_; }
  // Adds or replaces an entry; throws std::invalid_argument on an impossible entry.
  void put(ModelEntry entry);

  static std::string_view kind_name(ModelKind k);

 private:
  std::vector<ModelEntry> entries_;
};

}  // namespace g2a::openai
