// The command line: grok2api [--config FILE] [--data-dir DIR] [--host H] [--port N]
//                            [--check-config] [--hash-password] [--version] [--help]
//                            [--export DIR | --import DIR [--force]]
#pragma once

#include <iosfwd>
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
  bool hash_password = false;  // read a password on stdin, print its hash, exit
  bool version = false;
  bool help = false;
  // Backup and restore: the configured store's whole state into DIR in the file layout of
  // data/, or DIR's into the configured store; force replaces a target that holds data.
  std::optional<std::string> export_dir;
  std::optional<std::string> import_dir;
  bool force = false;
};

// Throws std::invalid_argument with a message for the user.
CommandLine parse_command_line(const std::vector<std::string>& args);
std::string usage();

// --hash-password: the first line of in (without its line end) hashed for
// global.admin_password. Throws std::invalid_argument when the line is empty.
std::string hash_password_line(std::istream& in);

}  // namespace g2a::app
