#include "storage_client.hpp"

#include <fstream>
#include <sstream>

extern "C" const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host);

namespace g2a::test {

std::unique_ptr<StorageClient> open_file_storage(TestHost& host, g2a_status* status,
                                                 std::string* error) {
  return StorageClient::open(host, g2a_plugin_entry_v1(host.host()), status, error);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::filesystem::path fixture_path(const std::string& name) {
  return std::filesystem::path(G2A_PRO_FIXTURES) / name;
}

void copy_fixture(const std::string& name, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(fixture_path(name), dir / name,
                             std::filesystem::copy_options::overwrite_existing);
}

}  // namespace g2a::test
