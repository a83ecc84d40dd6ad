// The plugin object the host talks to: reads the config, owns the engine and its refresh
// timer, and stops both before the host destroys it.
#pragma once

#include <cstdint>
#include <grok2api/plugin.hpp>
#include <memory>

#include "signer_engine.hpp"

namespace g2a::statsig {

class StatsigSigner final : public g2a::Signer {
 public:
  explicit StatsigSigner(g2a::Host host);
  StatsigSigner(g2a::Host host, SignerConfig cfg);
  ~StatsigSigner() override;

  std::string sign(std::string_view method, std::string_view path, int64_t now_ms) override;
  void prepare(bool force, g2a_done_fn done, void* user) override;
  std::string status() override;

 private:
  static void on_timer(void* user);

  g2a::Host host_;
  std::shared_ptr<SignerEngine> engine_;
  bool timer_running_ = false;
  uint64_t timer_id_ = 0;
};

}  // namespace g2a::statsig
