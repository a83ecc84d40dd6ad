#include "core/video/video_files.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "core/media/image_cache.hpp"
#include "core/media/image_input.hpp"

namespace g2a::video {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kPart = ".part";

std::string_view extension_of(std::string_view name) {
  auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

// An ISO base media file (mp4, mov) names its brand in the first box: "....ftyp".
bool is_mp4(std::string_view b) {
  return b.size() >= 8 && b.substr(4, 4) == "ftyp";
}

bool is_webm(std::string_view b) {
  return b.size() >= 4 && b.substr(0, 4) == std::string_view("\x1a\x45\xdf\xa3", 4);
}

std::string ext_of_image_type(std::string_view type) {
  if (type == "image/jpeg") return "jpg";
  return std::string(type.substr(type.find('/') + 1));
}

void throw_io(const std::string& what, const fs::path& p, const std::error_code& ec = {}) {
  throw std::runtime_error(what + " " + p.string() + (ec ? ": " + ec.message() : ""));
}

}  // namespace

bool VideoFiles::valid_name(std::string_view name) {
  // The image cache's rule (safe characters, no "..", no leading dot, a known extension),
  // with the video extensions added: a video name is judged as if it were an image's.
  std::string_view ext = extension_of(name);
  if (ext != "mp4" && ext != "webm") return media::ImageCache::valid_name(name);
  std::string as_image(name.substr(0, name.size() - ext.size()));
  return media::ImageCache::valid_name(as_image + "png");
}

std::string_view VideoFiles::content_type_for(std::string_view name) {
  std::string_view ext = extension_of(name);
  if (ext == "mp4") return "video/mp4";
  if (ext == "webm") return "video/webm";
  return media::ImageCache::content_type_for(name);
}

std::string VideoFiles::extension_for(std::string_view bytes, std::string_view content_type,
                                      std::string_view fallback) {
  if (is_mp4(bytes)) return "mp4";
  if (is_webm(bytes)) return "webm";
  if (std::string_view image = media::sniff_image_type(bytes); !image.empty())
    return ext_of_image_type(image);
  // The type without parameters ("video/mp4; codecs=...").
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type == "video/mp4") return "mp4";
  if (type == "video/webm") return "webm";
  if (type == "image/jpeg" || type == "image/jpg") return "jpg";
  if (type == "image/png" || type == "image/webp" || type == "image/gif")
    return ext_of_image_type(type);
  return std::string(fallback);
}

void VideoFiles::ensure_dir() const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw_io("cannot create", dir_, ec);
}

void VideoFiles::begin_blocking(const std::string& name) const {
  if (!valid_name(name)) throw std::invalid_argument("invalid video file name: " + name);
  ensure_dir();
  fs::path part = fs::path(dir_) / (name + std::string(kPart));
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) throw_io("cannot create", part);
}

void VideoFiles::append_blocking(const std::string& name, std::string_view bytes) const {
  if (!valid_name(name)) throw std::invalid_argument("invalid video file name: " + name);
  fs::path part = fs::path(dir_) / (name + std::string(kPart));
  std::ofstream out(part, std::ios::binary | std::ios::app);
  if (!out) throw_io("cannot open", part);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) throw_io("cannot write", part);
}

void VideoFiles::commit_blocking(const std::string& name) const {
  if (!valid_name(name)) throw std::invalid_argument("invalid video file name: " + name);
  fs::path part = fs::path(dir_) / (name + std::string(kPart));
  std::error_code ec;
  fs::rename(part, fs::path(dir_) / name, ec);
  if (ec) throw_io("cannot commit", part, ec);
}

void VideoFiles::write_blocking(const std::string& name, std::string_view bytes) const {
  begin_blocking(name);
  append_blocking(name, bytes);
  commit_blocking(name);
}

std::optional<uint64_t> VideoFiles::size_blocking(const std::string& name) const {
  if (!valid_name(name)) return std::nullopt;
  std::error_code ec;
  fs::path p = fs::path(dir_) / name;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  auto size = fs::file_size(p, ec);
  if (ec) return std::nullopt;
  return static_cast<uint64_t>(size);
}

std::string VideoFiles::read_blocking(const std::string& name, uint64_t offset,
                                      uint64_t length) const {
  if (!valid_name(name)) throw std::invalid_argument("invalid video file name: " + name);
  fs::path p = fs::path(dir_) / name;
  std::ifstream in(p, std::ios::binary);
  if (!in) throw_io("cannot open", p);
  std::error_code ec;
  uint64_t size = fs::file_size(p, ec);
  if (ec) throw_io("cannot stat", p, ec);
  if (offset >= size) return {};
  uint64_t n = std::min(length, size - offset);
  std::string out(static_cast<size_t>(n), '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(out.data(), static_cast<std::streamsize>(n));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

void VideoFiles::remove_blocking(const std::string& name) const {
  if (!valid_name(name)) return;
  std::error_code ec;
  fs::remove(fs::path(dir_) / name, ec);
  fs::remove(fs::path(dir_) / (name + std::string(kPart)), ec);
}

void VideoFiles::clean_partials_blocking() const {
  std::error_code ec;
  std::vector<fs::path> partials;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string file = e.path().filename().string();
    if (file.size() > kPart.size() && file.ends_with(kPart)) partials.push_back(e.path());
  }
  for (const auto& p : partials) fs::remove(p, ec);
}

}  // namespace g2a::video
