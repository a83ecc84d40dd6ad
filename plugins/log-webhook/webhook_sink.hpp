// The log sink: each host batch goes to every receiver (split and filtered per receiver),
// and the batch's done reports the worst outcome: RETRY when any delivery may succeed
// later, else DROP when any was refused for good, else OK.
#pragma once

#include <grok2api/plugin.hpp>
#include <string_view>
#include <vector>

#include "webhook_config.hpp"

namespace g2a::webhook {

// The outcome of one delivery by its transport status and HTTP status.
g2a_status classify(g2a_status transport, int http_status);

class WebhookSink : public g2a::LogSink {
 public:
  explicit WebhookSink(g2a::Host host);
  void submit(const std::vector<std::string_view>& records, g2a_done_fn done, void* user) override;

 private:
  g2a::Host host_;
  std::vector<Receiver> receivers_;
};

}  // namespace g2a::webhook
