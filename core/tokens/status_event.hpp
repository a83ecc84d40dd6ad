// A token's status change as the state event log sinks receive (token.disabled,
// token.expired, token.recovered).
#pragma once

#include "core/calllog/state_event.hpp"
#include "core/tokens/status_change.hpp"

namespace g2a::tokens {

calllog::StateEvent to_state_event(const StatusChange& change);

}  // namespace g2a::tokens
