// The storage driver of tests/support opened on the storage-file plugin linked into this test,
// and helpers for the files it writes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "support/storage_client.hpp"

namespace g2a::test {

// StorageClient::open on the linked storage-file plugin.
std::unique_ptr<StorageClient> open_file_storage(TestHost& host, g2a_status* status = nullptr,
                                                 std::string* error = nullptr);

// Reads a whole file ("" when missing).
std::string read_text(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);
// Copies one of tests/fixtures/pro-data into dir.
void copy_fixture(const std::string& name, const std::filesystem::path& dir);
std::filesystem::path fixture_path(const std::string& name);

}  // namespace g2a::test
