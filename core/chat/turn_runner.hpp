// Runs one model-adapter turn against grok.com: opens the upstream call the adapter's plan
// names, feeds it everything that arrives, sends the frames the adapter asks for, and hands
// the neutral events to a sink (the OpenAI writer). Keep-alives while the upstream is silent.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "core/chat/adapter_host.hpp"
#include "core/upstream/grok/grok_client.hpp"

namespace g2a::chat {

struct TurnTimeouts {
  std::chrono::milliseconds first_response{30000};  // grok.stream_first_response_timeout
  std::chrono::milliseconds idle{120000};           // grok.stream_chunk_timeout
  std::chrono::milliseconds total{600000};          // grok.stream_total_timeout
  std::chrono::milliseconds keep_alive{15000};      // sink.idle() while the upstream is silent
};

class TurnSink {
 public:
  virtual ~TurnSink() = default;
  // One neutral event (plugin.h). false: the client is gone, stop.
  virtual boost::asio::awaitable<bool> event(const boost::json::object& e) = 0;
  // The upstream has been silent for keep_alive. false: stop.
  virtual boost::asio::awaitable<bool> idle() = 0;
};

// Throws upstream::grok::UpstreamError (kTransport for timeouts) or TransportError.
boost::asio::awaitable<void> run_turn(upstream::grok::GrokClient& grok, AdapterHost& adapter,
                                      upstream::grok::Account account,
                                      upstream::grok::Egress egress, std::string request_json,
                                      TurnTimeouts timeouts, TurnSink& sink);

}  // namespace g2a::chat
