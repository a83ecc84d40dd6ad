// A file under the data directory that holds one or more collections in its own JSON
// layout: the Pro service's token.json, proxy_state.json and video_tasks.json, our
// setting.overrides.json, and store/<collection>.json for everything else.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collection.hpp"

namespace g2a::storage_file {

class DataFile {
 public:
  virtual ~DataFile() = default;
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The collections whose documents this file holds.
  virtual std::vector<std::string_view> collections() const = 0;

  // Throws g2a::Error(G2A_BAD_ARGUMENT) when `doc` cannot be stored under `key` in this
  // file's layout (for example a token key without its pool).
  virtual void check(std::string_view collection, std::string_view key,
                     const boost::json::value& doc) const = 0;

  // Fills `into` from the parsed file. Throws g2a::Error(G2A_PARSE_FAILURE) naming the file
  // when the layout is not what we expect; `warnings` collects what the caller should log.
  virtual void load(const boost::json::value& root, Collections& into,
                    std::vector<std::string>& warnings) = 0;

  // The file's complete new content.
  virtual std::string render(const Collections& from, int64_t now_ms) const = 0;

 protected:
  explicit DataFile(std::filesystem::path path) : path_(std::move(path)) {}

  // Shape errors while loading: "<file>: <problem>".
  [[noreturn]] void throw_bad_layout(std::string_view problem) const;

 private:
  std::filesystem::path path_;
};

std::unique_ptr<DataFile> make_token_file(const std::filesystem::path& data_dir);
std::unique_ptr<DataFile> make_proxy_state_file(const std::filesystem::path& data_dir);
std::unique_ptr<DataFile> make_video_task_file(const std::filesystem::path& data_dir);
std::unique_ptr<DataFile> make_settings_file(const std::filesystem::path& data_dir);
// data/store/<collection>.json: {key: document} in key order.
std::unique_ptr<DataFile> make_collection_file(const std::filesystem::path& data_dir,
                                               std::string_view collection);

// Helpers for the layouts.

// The documents of `name`, or nullptr when nothing was ever stored there.
const Collection* find_collection(const Collections& all, std::string_view name);

// Parses a document that was validated when it was stored.
boost::json::value parse_stored(const std::string& json);

// Throws g2a::Error(G2A_BAD_ARGUMENT) "<collection>: <problem>".
[[noreturn]] void throw_bad_document(std::string_view collection, std::string_view problem);

}  // namespace g2a::storage_file
