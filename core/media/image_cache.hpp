// Generated images kept on local disk so that /images/<name> links outlive the upstream
// asset (which needs the generating account's cookies). Names are content hashes; the
// oldest files go first once the directory is over its size limit.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

namespace g2a::runtime {
class BlockingPool;
}
namespace g2a::storage {
class Store;
}

namespace g2a::media {

struct CachedImage {
  std::string bytes;
  std::string content_type;
};

class ImageCache {
 public:
  explicit ImageCache(std::string dir) : dir_(std::move(dir)) {}

  // Several instances on one store: each image is also kept in the store's "images"
  // collection, so an instance that lacks a file another made serves it from there (and
  // keeps a copy). Local eviction keeps the shared copy. Set before use.
  void share_through(storage::Store* store) { shared_ = store; }

  // Only [A-Za-z0-9._-], no "..", a known image extension: never a path outside the cache.
  static bool valid_name(std::string_view name);
  // jpg, png, webp or gif from the bytes' magic, else from the content type; jpg if unknown.
  static std::string extension_for(std::string_view bytes, std::string_view content_type);
  static std::string_view content_type_for(std::string_view name);

  // Blocking: writes bytes as <sha256 prefix>.<ext>, then evicts the oldest other files
  // beyond max_bytes. Returns the name.
  std::string put_blocking(std::string_view bytes, std::string_view content_type,
                           uint64_t max_bytes);
  // Blocking: the file's bytes, nullopt when the name is invalid or absent.
  std::optional<CachedImage> get_blocking(std::string_view name) const;

  // The same on the blocking pool, for coroutines on I/O threads.
  boost::asio::awaitable<std::string> put(runtime::BlockingPool& pool, std::string bytes,
                                          std::string content_type, uint64_t max_bytes);
  boost::asio::awaitable<std::optional<CachedImage>> get(runtime::BlockingPool& pool,
                                                         std::string name) const;

  const std::string& dir() const { return dir_; }

 private:
  void evict_locked(uint64_t max_bytes, const std::string& keep);
  void write_locked(const std::string& name, std::string_view bytes) const;

  std::string dir_;
  storage::Store* shared_ = nullptr;
  mutable std::mutex mutex_;  // one writer/evicter at a time
};

}  // namespace g2a::media
