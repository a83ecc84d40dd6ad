// File operations that survive a crash (kill -9, power loss) at any moment: a reader
// afterwards finds either the old or the new content, never a mix.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::storage_file {

// The whole file, or nullopt when it does not exist. Throws g2a::Error(G2A_IO_ERROR).
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

// Replaces the content of `path`: writes "<path>.tmp" in the same directory, fsyncs it,
// renames it over `path` and fsyncs the directory.
void replace_file_durably(const std::filesystem::path& path, std::string_view content);

// Receives the pieces of a file's content, in order.
using ContentSink = std::function<void(std::string_view)>;
// The same for content too large to build in memory: `produce` feeds it to its sink.
void replace_file_durably(const std::filesystem::path& path,
                          const std::function<void(const ContentSink&)>& produce);

// Appends `content` and fdatasyncs. A failed append is cut back off, so a later append
// never lands after half a line.
void append_file_durably(const std::filesystem::path& path, std::string_view content);

// Sets the byte at each offset (a single-byte write cannot tear) and fdatasyncs.
void overwrite_bytes_durably(const std::filesystem::path& path,
                             const std::vector<std::uint64_t>& offsets, char byte);

// Cuts the file to `size` bytes and fsyncs it (used to drop a torn tail).
void truncate_file_durably(const std::filesystem::path& path, std::uint64_t size);

// Creates `dir` and its parents if missing, fsyncing each parent that gained an entry.
void create_directories_durably(const std::filesystem::path& dir);

void fsync_directory(const std::filesystem::path& dir);

// "<what> <path>: <strerror(err)>" as g2a::Error(G2A_IO_ERROR).
[[noreturn]] void throw_io_error(std::string_view what, const std::filesystem::path& path, int err);

}  // namespace g2a::storage_file
