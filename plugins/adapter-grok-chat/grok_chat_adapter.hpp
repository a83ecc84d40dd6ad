// The model adapter object: lists the chat model and starts turns on either transport.
// It holds no state of its own, so concurrent begin() calls need no locking.
#pragma once

#include <grok2api/plugin.hpp>
#include <memory>
#include <string>
#include <string_view>

namespace g2a::grok_chat {

class GrokChatAdapter final : public g2a::ModelAdapter {
 public:
  // The host's services are not needed: the adapter computes, it never calls out.
  explicit GrokChatAdapter(g2a::Host) {}

  std::string models() override;
  std::unique_ptr<g2a::AdapterTurn> begin(std::string_view request_json,
                                          std::string& plan) override;
};

}  // namespace g2a::grok_chat
