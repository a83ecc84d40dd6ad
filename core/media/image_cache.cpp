#include "core/media/image_cache.hpp"

#include <openssl/evp.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/media/image_input.hpp"
#include "core/ops/logging.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/storage/store.hpp"

namespace g2a::media {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSharedCollection = "images";

std::string to_base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

constexpr size_t kHashChars = 32;  // 128 bits of SHA-256: collisions are not a concern

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

}  // namespace

bool ImageCache::valid_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return content_type_for(name) != "application/octet-stream";
}

std::string ImageCache::extension_for(std::string_view bytes, std::string_view content_type) {
  if (starts_with(bytes, "\xFF\xD8\xFF")) return "jpg";
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return "png";
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "gif";
  if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP")
    return "webp";
  if (content_type.find("png") != std::string_view::npos) return "png";
  if (content_type.find("webp") != std::string_view::npos) return "webp";
  if (content_type.find("gif") != std::string_view::npos) return "gif";
  return "jpg";
}

std::string_view ImageCache::content_type_for(std::string_view name) {
  auto dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  if (ext == "webp") return "image/webp";
  if (ext == "gif") return "image/gif";
  return "application/octet-stream";
}

std::string ImageCache::put_blocking(std::string_view bytes, std::string_view content_type,
                                     uint64_t max_bytes) {
  std::string name =
      sha256_hex(bytes).substr(0, kHashChars) + "." + extension_for(bytes, content_type);
  std::lock_guard lock(mutex_);
  fs::path target = fs::path(dir_) / name;
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    write_locked(name, bytes);
    if (shared_) {
      boost::json::object doc;
      doc["content_type"] = std::string(content_type_for(name));
      doc["base64"] = to_base64(bytes);
      try {
        shared_->put(std::string(kSharedCollection), name, boost::json::serialize(doc));
      } catch (const std::exception& e) {
        // The link still works here; other instances cannot serve it until it is made again.
        ops::logger("Images")->warn("sharing image {} through storage failed: {}", name, e.what());
      }
    }
  } else {
    // A repeat counts as new for eviction.
    fs::last_write_time(target, fs::file_time_type::clock::now(), ec);
  }
  evict_locked(max_bytes, name);
  return name;
}

void ImageCache::write_locked(const std::string& name, std::string_view bytes) const {
  fs::create_directories(dir_);
  // Write then rename, so a reader never sees half a file.
  fs::path tmp = fs::path(dir_) / (".tmp-" + name);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, fs::path(dir_) / name);
}

void ImageCache::evict_locked(uint64_t max_bytes, const std::string& keep) {
  struct Entry {
    fs::path path;
    fs::file_time_type time;
    uint64_t size;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir_, ec)) {
    if (!de.is_regular_file(ec)) continue;
    Entry e{de.path(), de.last_write_time(ec), de.file_size(ec)};
    if (ec) continue;
    total += e.size;
    entries.push_back(std::move(e));
  }
  if (total <= max_bytes) return;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.time < b.time; });
  for (const auto& e : entries) {
    if (total <= max_bytes) break;
    if (e.path.filename() == keep) continue;  // the image just handed out stays
    // The shared copy stays: other instances' links may need it.
    if (fs::remove(e.path, ec)) total -= e.size;
  }
}

std::optional<CachedImage> ImageCache::get_blocking(std::string_view name) const {
  if (!valid_name(name)) return std::nullopt;
  std::ifstream in(fs::path(dir_) / std::string(name), std::ios::binary);
  CachedImage img;
  img.content_type = std::string(content_type_for(name));
  if (in) {
    img.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return img;
  }
  if (!shared_) return std::nullopt;
  // Made by another instance sharing the store: served from there, and kept here.
  std::optional<std::string> doc;
  try {
    doc = shared_->get(std::string(kSharedCollection), std::string(name));
  } catch (const std::exception& e) {
    ops::logger("Images")->warn("reading shared image {} failed: {}", name, e.what());
  }
  if (!doc) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(*doc, ec);
  auto* b64 = !ec && v.is_object() ? v.as_object().if_contains("base64") : nullptr;
  if (!b64 || !b64->is_string() || !decode_base64_strict(b64->as_string(), img.bytes))
    return std::nullopt;
  std::lock_guard lock(mutex_);
  try {
    write_locked(std::string(name), img.bytes);
  } catch (const std::exception&) {
    // Served anyway; fetched from the store again next time.
  }
  return img;
}

boost::asio::awaitable<std::string> ImageCache::put(runtime::BlockingPool& pool, std::string bytes,
                                                    std::string content_type, uint64_t max_bytes) {
  auto job = pool.run([this, b = std::move(bytes), ct = std::move(content_type), max_bytes] {
    return put_blocking(b, ct, max_bytes);
  });
  co_return co_await std::move(job);
}

boost::asio::awaitable<std::optional<CachedImage>> ImageCache::get(runtime::BlockingPool& pool,
                                                                   std::string name) const {
  auto job = pool.run([this, n = std::move(name)] { return get_blocking(n); });
  co_return co_await std::move(job);
}

}  // namespace g2a::media
