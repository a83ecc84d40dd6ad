// Wires the components together and runs the server until a signal stops it.
#pragma once

#include "core/app/cli.hpp"

namespace g2a::app {

// Returns the process exit code: 0 after a graceful stop, 1 when start-up failed,
// 2 for a configuration error.
int run(const CommandLine& command_line);

}  // namespace g2a::app
