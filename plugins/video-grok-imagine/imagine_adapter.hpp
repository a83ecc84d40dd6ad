// The model adapter object: lists the video models and starts one turn per generation. Its
// configuration is read once at creation and never changes, so concurrent calls need no
// locking.
#pragma once

#include <grok2api/plugin.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "model_table.hpp"

namespace g2a::grok_imagine {

class ImagineAdapter final : public g2a::ModelAdapter {
 public:
  // Reads [plugins.video-grok-imagine]; a value it cannot use fails the plugin's creation.
  explicit ImagineAdapter(g2a::Host host);

  std::string models() override;
  std::unique_ptr<g2a::AdapterTurn> begin(std::string_view request_json,
                                          std::string& plan) override;

  const AdapterConfig& config() const { return config_; }

 private:
  AdapterConfig config_;
};

}  // namespace g2a::grok_imagine
