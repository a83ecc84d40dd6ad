// The command line: grok2api [--config FILE] [--data-dir DIR] [--host H] [--port N]
//                            [--check-config] [--version] [--help]
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace g2a::app {

struct CommandLine {
  std::optional<std::string> config_file;
  std::string data_dir = "data";
  std::optional<std::string> host;
  std::optional<int> port;
  bool check_config = false;
  bool version = false;
  bool help = false;
};

// Throws std::invalid_argument with a message for the user.
CommandLine parse_command_line(const std::vector<std::string>& args);
std::string usage();

}  // namespace g2a::app
