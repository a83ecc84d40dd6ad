// The cached files of video tasks (data/cache/video/): the generated video, its thumbnail
// and the reference image a task was made from, named after the task
// ("<id>.mp4", "<id>.thumbnail.jpg", "<id>.reference.png"). Blocking calls: run them on
// the blocking pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::video {

class VideoFiles {
 public:
  explicit VideoFiles(std::string dir) : dir_(std::move(dir)) {}

  // Only [A-Za-z0-9._-], no "..", one of .mp4 .webm .jpg .jpeg .png .webp .gif: never a
  // path outside the directory.
  static bool valid_name(std::string_view name);
  // "video/mp4", "image/jpeg", ... from the extension; "application/octet-stream" if none.
  static std::string_view content_type_for(std::string_view name);
  // The extension (without dot) for bytes of a content type: the magic first (mp4, webm,
  // jpg, png, webp, gif), then the type; fallback the given one.
  static std::string extension_for(std::string_view bytes, std::string_view content_type,
                                   std::string_view fallback);

  // Creates the directory if needed.
  void ensure_dir() const;
  // Starts a file: the name's ".part" sibling is truncated; append adds to it; commit
  // renames it into place (a crash never leaves a half file under the real name).
  void begin_blocking(const std::string& name) const;
  void append_blocking(const std::string& name, std::string_view bytes) const;
  void commit_blocking(const std::string& name) const;
  // The whole file at once (small files: thumbnails, references).
  void write_blocking(const std::string& name, std::string_view bytes) const;
  // Size of a committed file; nullopt when invalid or absent.
  std::optional<uint64_t> size_blocking(const std::string& name) const;
  // Up to length bytes from offset (fewer at the end).
  std::string read_blocking(const std::string& name, uint64_t offset, uint64_t length) const;
  // Removes the file (and a leftover .part); absent is fine.
  void remove_blocking(const std::string& name) const;
  // Removes .part files left by a crash.
  void clean_partials_blocking() const;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace g2a::video
