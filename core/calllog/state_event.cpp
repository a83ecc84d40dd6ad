#include "core/calllog/state_event.hpp"

#include <boost/json.hpp>

#include "core/ops/mask.hpp"

namespace g2a::calllog {

std::string to_json(const StateEvent& e) {
  boost::json::object o{
      {"type", "event"},
      {"id", e.id},
      {"timestamp", e.timestamp},
      {"event", e.event},
      {"sso", e.sso_full.empty() ? std::string() : ops::mask_token(e.sso_full)},
      {"reason", e.reason},
  };
  if (!e.token_type.empty()) o["token_type"] = e.token_type;
  if (!e.proxy.empty()) o["proxy"] = ops::mask_url_credentials(e.proxy);
  if (!e.task_id.empty()) o["task_id"] = e.task_id;
  return boost::json::serialize(o);
}

}  // namespace g2a::calllog
