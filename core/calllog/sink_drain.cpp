#include "core/calllog/sink_drain.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/calllog/sink_feed.hpp"

namespace g2a::calllog {
namespace asio = boost::asio;

asio::awaitable<bool> drain_sinks(const std::vector<std::unique_ptr<SinkFeed>>& sinks,
                                  size_t batch_size, std::chrono::milliseconds budget) {
  auto deadline = SinkFeed::Clock::now() + budget;
  asio::steady_timer tick(co_await asio::this_coro::executor);
  for (;;) {
    bool empty = true;
    for (const auto& sink : sinks) {
      sink->pump(batch_size);
      if (sink->pending()) empty = false;
    }
    if (empty) co_return true;
    if (SinkFeed::Clock::now() >= deadline) co_return false;
    // Deliveries complete on the I/O loop; a short tick keeps the wait cheap and bounded.
    tick.expires_after(std::chrono::milliseconds(10));
    co_await tick.async_wait(asio::use_awaitable);
  }
}

}  // namespace g2a::calllog
