// The gateway's side of a model-adapter plugin (plugin.h, g2a_model_adapter_v1).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <grok2api/plugin.h>

namespace g2a::plugin {
struct LoadedPlugin;
}

namespace g2a::chat {

class AdapterHost {
 public:
  explicit AdapterHost(plugin::LoadedPlugin& plugin);

  // One turn; end() is called when it is destroyed.
  class Turn {
   public:
    Turn(const g2a_model_adapter_v1* table, void* turn) : table_(table), turn_(turn) {}
    ~Turn();
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    // Actions JSON (plugin.h). Throws std::runtime_error with the adapter's message.
    std::string feed(std::string_view data);
    std::string finish();

   private:
    const g2a_model_adapter_v1* table_;
    void* turn_;
  };

  // Starts a turn; fills plan. Throws std::runtime_error with the adapter's message.
  std::unique_ptr<Turn> begin(const std::string& request_json, std::string& plan);
  std::string models();
  const std::string& plugin_id() const;

 private:
  plugin::LoadedPlugin& plugin_;
  const g2a_model_adapter_v1* table_;
};

}  // namespace g2a::chat
