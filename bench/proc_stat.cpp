#include "proc_stat.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace g2a::bench {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

double cpu_seconds_of(pid_t pid) {
  std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  // The command name (field 2) may hold spaces: fields are counted after its ')'.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  // Field 3 (state) is the first after ')'; utime and stime are fields 14 and 15.
  for (int n = 3; n <= 15 && fields >> field; ++n) {
    if (n == 14) utime = std::stoll(field);
    if (n == 15) stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int64_t rss_kib_of(pid_t pid) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  return 0;
}

}  // namespace

double cpu_seconds(const std::vector<pid_t>& pids) {
  double total = 0;
  for (pid_t p : pids) total += cpu_seconds_of(p);
  return total;
}

int64_t rss_kib(const std::vector<pid_t>& pids) {
  int64_t total = 0;
  for (pid_t p : pids) total += rss_kib_of(p);
  return total;
}

int64_t open_fds(const std::vector<pid_t>& pids) {
  int64_t total = 0;
  for (pid_t p : pids) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc/" + std::to_string(p) + "/fd", ec), end;
         !ec && it != end; it.increment(ec))
      ++total;
  }
  return total;
}

}  // namespace g2a::bench
