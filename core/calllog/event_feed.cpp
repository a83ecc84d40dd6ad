#include "core/calllog/event_feed.hpp"

#include "core/calllog/sink_feed.hpp"
#include "core/runtime/clock.hpp"
#include "core/upstream/grok/headers.hpp"

namespace g2a::calllog {

void EventFeed::emit(StateEvent e) {
  if (e.id.empty()) e.id = upstream::grok::uuid4();
  if (e.timestamp == 0) e.timestamp = runtime::now_ms();
  std::vector<std::string> line{to_json(e)};
  for (const auto& sink : sinks_) sink->add(line);
  emitted_.fetch_add(1);
}

}  // namespace g2a::calllog
