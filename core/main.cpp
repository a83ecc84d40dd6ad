#include <iostream>
#include <string>
#include <vector>

#include <curl/curl.h>

#include <grok2api/plugin.h>
#include "core/app/application.hpp"
#include "core/app/cli.hpp"
#include "core/app/version.hpp"

int main(int argc, char** argv) {
  g2a::app::CommandLine cl;
  try {
    cl = g2a::app::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::invalid_argument& e) {
    std::cerr << "grok2api: " << e.what() << "\n" << g2a::app::usage();
    return 2;
  }
  if (cl.help) {
    std::cout << g2a::app::usage();
    return 0;
  }
  if (cl.hash_password) {
    try {
      std::cout << g2a::app::hash_password_line(std::cin) << "\n";
    } catch (const std::invalid_argument& e) {
      std::cerr << "grok2api: " << e.what() << "\n";
      return 2;
    }
    return 0;
  }
  if (cl.version) {
    std::cout << "grok2api " << g2a::kVersion << " (plugin ABI " << G2A_ABI_MAJOR << "."
              << G2A_ABI_MINOR << ")\n";
    return 0;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int code = g2a::app::run(cl);
  curl_global_cleanup();
  return code;
}
