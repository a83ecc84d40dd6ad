#include "core/app/cli.hpp"

#include <istream>
#include <stdexcept>

#include "core/admin/password_hash.hpp"

namespace g2a::app {

std::string usage() {
  return "usage: grok2api [--config FILE] [--data-dir DIR] [--host H] [--port N]\n"
         "                [--check-config] [--hash-password] [--version] [--help]\n"
         "                [--export DIR | --import DIR [--force]]\n"
         "  --config FILE    settings file (default: <data-dir>/setting.toml)\n"
         "  --data-dir DIR   data directory (default: data)\n"
         "  --host H         listen address (default 0.0.0.0; env HOST)\n"
         "  --port N         listen port, 0 for any free port (default 8001; env PORT)\n"
         "  --check-config   validate the settings and exit\n"
         "  --hash-password  read a password on stdin, print its hash for\n"
         "                   global.admin_password and exit\n"
         "  --version        print the version and exit\n"
         "  --export DIR     copy the configured storage (storage.mode) into DIR in the\n"
         "                   file layout of data/, verify the counts and exit\n"
         "  --import DIR     copy DIR (a data/ folder or an export) into the configured\n"
         "                   storage, verify the counts and exit\n"
         "  --force          let --export/--import replace a target that holds data\n"
         "  exit codes: 0 done, 1 failed, 2 bad arguments or configuration,\n"
         "              3 the target holds data (use --force)\n";
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine cl;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& name) -> std::string {
      auto eq = a.find('=');
      if (eq != std::string::npos) return a.substr(eq + 1);
      if (i + 1 >= args.size()) throw std::invalid_argument(name + " needs a value");
      return args[++i];
    };
    auto is = [&](const char* name) {
      return a == name || a.rfind(std::string(name) + "=", 0) == 0;
    };
    if (is("--config")) {
      cl.config_file = value("--config");
    } else if (is("--data-dir")) {
      cl.data_dir = value("--data-dir");
    } else if (is("--host")) {
      cl.host = value("--host");
    } else if (is("--port")) {
      std::string v = value("--port");
      size_t used = 0;
      int port = -1;
      try {
        port = std::stoi(v, &used);
      } catch (...) {
      }
      if (used != v.size() || port < 0 || port > 65535)
        throw std::invalid_argument("--port expects 0..65535, got '" + v + "'");
      cl.port = port;
    } else if (is("--export")) {
      cl.export_dir = value("--export");
    } else if (is("--import")) {
      cl.import_dir = value("--import");
    } else if (a == "--force") {
      cl.force = true;
    } else if (a == "--check-config") {
      cl.check_config = true;
    } else if (a == "--hash-password") {
      cl.hash_password = true;
    } else if (a == "--version" || a == "-v") {
      cl.version = true;
    } else if (a == "--help" || a == "-h") {
      cl.help = true;
    } else {
      throw std::invalid_argument("unknown argument '" + a + "'");
    }
  }
  if (cl.export_dir && cl.import_dir)
    throw std::invalid_argument("--export and --import cannot be used together");
  if ((cl.export_dir && cl.export_dir->empty()) || (cl.import_dir && cl.import_dir->empty()))
    throw std::invalid_argument("--export and --import need a directory");
  if (cl.force && !cl.export_dir && !cl.import_dir)
    throw std::invalid_argument("--force goes with --export or --import");
  return cl;
}

std::string hash_password_line(std::istream& in) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty())
    throw std::invalid_argument("--hash-password reads a non-empty password on stdin");
  return admin::hash_password(line);
}

}  // namespace g2a::app
