#include "durable_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <grok2api/plugin.hpp>

namespace g2a::storage_file {
namespace {

// Closes a descriptor on every exit path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now so that a close() error (possible on NFS) is reported.
  int close_now() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

int open_file(const std::filesystem::path& path, int flags, mode_t mode = 0644) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Writes everything or returns the errno of the failure.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace

void throw_io_error(std::string_view what, const std::filesystem::path& path, int err) {
  throw g2a::Error(G2A_IO_ERROR, fmt::format("{} {}: {}", what, path.string(), std::strerror(err)));
}

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
  Fd fd(open_file(path, O_RDONLY));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_io_error("cannot open", path, errno);
  }
  std::string content;
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0)
    content.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io_error("cannot read", path, errno);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  return content;
}

void fsync_directory(const std::filesystem::path& dir) {
  Fd fd(open_file(dir, O_RDONLY | O_DIRECTORY));
  if (fd.get() < 0) throw_io_error("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) throw_io_error("cannot fsync directory", dir, errno);
}

void create_directories_durably(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  std::filesystem::path parent = dir.parent_path();
  if (!parent.empty() && parent != dir) create_directories_durably(parent);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    throw_io_error("cannot create directory", dir, errno);
  fsync_directory(parent.empty() ? std::filesystem::path(".") : parent);
}

void replace_file_durably(const std::filesystem::path& path, std::string_view content) {
  replace_file_durably(path, [content](const ContentSink& sink) { sink(content); });
}

void replace_file_durably(const std::filesystem::path& path,
                          const std::function<void(const ContentSink&)>& produce) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    Fd fd(open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC));
    if (fd.get() < 0) throw_io_error("cannot create", tmp, errno);
    // Pieces are gathered into large writes: a call log has a million short lines.
    constexpr std::size_t kChunk = 1 << 20;
    std::string buffer;
    int err = 0;
    auto drain = [&] {
      if (err == 0) err = write_all(fd.get(), buffer);
      buffer.clear();
    };
    try {
      produce([&](std::string_view piece) {
        if (piece.size() >= kChunk) {
          drain();
          if (err == 0) err = write_all(fd.get(), piece);
          return;
        }
        buffer.append(piece);
        if (buffer.size() >= kChunk) drain();
      });
    } catch (...) {
      ::unlink(tmp.c_str());
      throw;
    }
    drain();
    if (err == 0 && ::fsync(fd.get()) != 0) err = errno;
    if (err == 0 && fd.close_now() != 0) err = errno;
    if (err != 0) {
      ::unlink(tmp.c_str());
      throw_io_error("cannot write", tmp, err);
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_io_error("cannot rename over", path, err);
  }
  std::filesystem::path dir = path.parent_path();
  fsync_directory(dir.empty() ? std::filesystem::path(".") : dir);
}

void append_file_durably(const std::filesystem::path& path, std::string_view content) {
  if (content.empty()) return;
  int raw = open_file(path, O_WRONLY | O_APPEND);
  bool created = false;
  if (raw < 0 && errno == ENOENT) {
    raw = open_file(path, O_WRONLY | O_APPEND | O_CREAT);
    created = true;
  }
  if (raw < 0) throw_io_error("cannot open", path, errno);
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_io_error("cannot stat", path, errno);
  int err = write_all(fd.get(), content);
  if (err == 0 && ::fdatasync(fd.get()) != 0) err = errno;
  if (err != 0) {
    // Leave no partial line behind for the next append to be glued onto.
    if (::ftruncate(fd.get(), st.st_size) == 0) ::fdatasync(fd.get());
    throw_io_error("cannot append to", path, err);
  }
  if (created) {
    std::filesystem::path dir = path.parent_path();
    fsync_directory(dir.empty() ? std::filesystem::path(".") : dir);
  }
}

void overwrite_bytes_durably(const std::filesystem::path& path,
                             const std::vector<std::uint64_t>& offsets, char byte) {
  if (offsets.empty()) return;
  Fd fd(open_file(path, O_WRONLY));
  if (fd.get() < 0) throw_io_error("cannot open", path, errno);
  for (std::uint64_t offset : offsets) {
    ssize_t n;
    do {
      n = ::pwrite(fd.get(), &byte, 1, static_cast<off_t>(offset));
    } while (n < 0 && errno == EINTR);
    if (n != 1) throw_io_error("cannot write to", path, n < 0 ? errno : EIO);
  }
  if (::fdatasync(fd.get()) != 0) throw_io_error("cannot fdatasync", path, errno);
}

void truncate_file_durably(const std::filesystem::path& path, std::uint64_t size) {
  Fd fd(open_file(path, O_WRONLY));
  if (fd.get() < 0) throw_io_error("cannot open", path, errno);
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
    throw_io_error("cannot truncate", path, errno);
  if (::fsync(fd.get()) != 0) throw_io_error("cannot fsync", path, errno);
}

}  // namespace g2a::storage_file
