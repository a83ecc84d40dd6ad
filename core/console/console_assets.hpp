// The admin console's static files, compiled into the binary by cmake/EmbedFiles.cmake.
#pragma once

#include <cstddef>
#include <vector>

namespace g2a::console {

struct Asset {
  const char* name;          // "manage.js": served as /static/<name>
  const char* content_type;  // from the file's extension
  const unsigned char* data;
  size_t size;
  const char* etag;  // quoted, from the content's SHA-256
};

const std::vector<Asset>& assets();

}  // namespace g2a::console
