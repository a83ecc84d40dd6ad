#include "statsig_signer.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace g2a::statsig {

StatsigSigner::StatsigSigner(g2a::Host host)
    : StatsigSigner(host, parse_signer_config(host.config_json())) {}

StatsigSigner::StatsigSigner(g2a::Host host, SignerConfig cfg)
    : host_(host), engine_(std::make_shared<SignerEngine>(host, std::move(cfg))) {
  const SignerConfig& c = engine_->config();
  host_.info(fmt::format("x-statsig-id signer: strategy {} (resolved {}), upstream {}",
                         strategy_name(c.strategy), strategy_name(c.base_strategy()),
                         c.upstream_url));
  if (!engine_->needs_network() || c.refresh_interval_s == 0) return;
  uint64_t period = std::min<uint64_t>(uint64_t{c.refresh_interval_s} * 1000, UINT32_MAX);
  g2a_status st = host_.raw()->timer_start(host_.ctx(), static_cast<uint32_t>(period),
                                           &StatsigSigner::on_timer, engine_.get(), &timer_id_);
  if (st == G2A_OK)
    timer_running_ = true;
  else
    host_.warn(
        fmt::format("x-statsig-id signer: no refresh timer (status {}); the site is "
                    "re-read only when prepare is called",
                    int(st)));
}

StatsigSigner::~StatsigSigner() {
  // The timer first: once timer_stop returns it never fires again.
  if (timer_running_) host_.raw()->timer_stop(host_.ctx(), timer_id_);
  engine_->shutdown();
}

void StatsigSigner::on_timer(void* user) {
  static_cast<SignerEngine*>(user)->refresh();
}

std::string StatsigSigner::sign(std::string_view method, std::string_view path, int64_t now_ms) {
  return engine_->sign(method, path, now_ms);
}

void StatsigSigner::prepare(bool force, g2a_done_fn done, void* user) {
  engine_->prepare(force, done, user);
}

std::string StatsigSigner::status() {
  return engine_->status();
}

}  // namespace g2a::statsig
