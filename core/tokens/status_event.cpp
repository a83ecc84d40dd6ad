#include "core/tokens/status_event.hpp"

namespace g2a::tokens {

calllog::StateEvent to_state_event(const StatusChange& change) {
  calllog::StateEvent e;
  switch (change.kind) {
    case StatusChange::Kind::kDisabled:
      e.event = calllog::event::kTokenDisabled;
      break;
    case StatusChange::Kind::kExpired:
      e.event = calllog::event::kTokenExpired;
      break;
    case StatusChange::Kind::kRecovered:
      e.event = calllog::event::kTokenRecovered;
      break;
  }
  e.sso_full = change.sso;
  e.token_type = pro_token_type(change.pool);
  e.reason = change.reason;
  return e;
}

}  // namespace g2a::tokens
