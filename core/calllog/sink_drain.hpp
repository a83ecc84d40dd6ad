// The last act of a graceful shutdown for log sinks: keep submitting until every sink's
// queue is empty (retries and their backoff included) or the budget is spent.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace g2a::calllog {

class SinkFeed;

// Pumps every sink (batches of batch_size) on a short timer of the current executor.
// Returns true when every queue emptied, false when the budget ran out first.
boost::asio::awaitable<bool> drain_sinks(const std::vector<std::unique_ptr<SinkFeed>>& sinks,
                                         size_t batch_size, std::chrono::milliseconds budget);

}  // namespace g2a::calllog
