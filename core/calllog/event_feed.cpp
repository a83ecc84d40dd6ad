#include "core/calllog/event_feed.hpp"

#include <chrono>

#include "core/calllog/sink_feed.hpp"
#include "core/upstream/grok/headers.hpp"

namespace g2a::calllog {

void EventFeed::emit(StateEvent e) {
  if (e.id.empty()) e.id = upstream::grok::uuid4();
  if (e.timestamp == 0)
    e.timestamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::vector<std::string> line{to_json(e)};
  for (const auto& sink : sinks_) sink->add(line);
  emitted_.fetch_add(1);
}

}  // namespace g2a::calllog
