// What the kernel says about a process: CPU time (utime + stime of /proc/<pid>/stat, every
// thread included), resident memory (VmRSS of /proc/<pid>/status) and open descriptors.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace g2a::bench {

// CPU seconds used so far by the processes together; a process that is gone counts 0.
double cpu_seconds(const std::vector<pid_t>& pids);

// Resident memory in KiB of the processes together.
int64_t rss_kib(const std::vector<pid_t>& pids);

// Open file descriptors of the processes together (entries of /proc/<pid>/fd).
int64_t open_fds(const std::vector<pid_t>& pids);

}  // namespace g2a::bench
