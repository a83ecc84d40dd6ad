// The Pro service's data files as a migrating user copies them in: token.json,
// proxy_state.json, video_tasks.json and setting.overrides.json, loaded then re-rendered.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <grok2api/plugin.hpp>

#include "data_file.hpp"
#include "json_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the layout; the rest is the file.
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  boost::json::value root;
  std::string error;
  if (!g2a::storage_file::try_parse_json(text, root, error)) return 0;
  std::unique_ptr<g2a::storage_file::DataFile> file;
  switch (data[0] % 4) {
    case 0:
      file = g2a::storage_file::make_token_file("/nonexistent");
      break;
    case 1:
      file = g2a::storage_file::make_proxy_state_file("/nonexistent");
      break;
    case 2:
      file = g2a::storage_file::make_video_task_file("/nonexistent");
      break;
    default:
      file = g2a::storage_file::make_settings_file("/nonexistent");
  }
  g2a::storage_file::Collections collections;
  std::vector<std::string> warnings;
  try {
    file->load(root, collections, warnings);
    (void)file->render(collections, 0);
  } catch (const g2a::Error&) {
  }
  return 0;
}
