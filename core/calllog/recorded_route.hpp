// A route wrapper that gives each request a call-log record, lets the handler fill it
// and submits it when the handler is done (for a stream: after its last byte).
#pragma once

#include "core/http/router.hpp"

namespace g2a::calllog {

class Recorder;

// recorder may be null (call logs off): the handler runs unchanged.
http::Handler recorded(Recorder* recorder, http::Handler inner);

}  // namespace g2a::calllog
