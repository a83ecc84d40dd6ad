#include "data_dir_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <grok2api/plugin.hpp>
#include <string>

#include "durable_file.hpp"

namespace g2a::storage_file {
namespace {

std::string read_holder_pid(int fd) {
  char buffer[32] = {};
  ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

DataDirLock::DataDirLock(const std::filesystem::path& data_dir) {
  std::filesystem::path path = data_dir / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_io_error("cannot open", path, errno);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string pid = read_holder_pid(fd_);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw g2a::Error(
          G2A_CONFLICT,
          fmt::format("data directory {} is in use by another grok2api process (pid {})",
                      data_dir.string(), pid));
    throw_io_error("cannot lock", path, err);
  }
  // The pid is only a hint for the message above; failing to write it is not fatal.
  std::string pid = fmt::format("{}\n", ::getpid());
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace g2a::storage_file
