// Where the build and the sources are, for tests: the environment (ctest sets it), or
// the paths compiled in (running a test binary by hand).
#pragma once

#include <cstdlib>
#include <string>

namespace g2a::test {

inline std::string build_dir() {
  if (const char* d = std::getenv("G2A_BUILD_DIR"); d && *d) return d;
#ifdef G2A_DEFAULT_BUILD_DIR
  return G2A_DEFAULT_BUILD_DIR;
#else
  return ".";
#endif
}

inline std::string source_dir() {
  if (const char* d = std::getenv("G2A_SOURCE_DIR"); d && *d) return d;
#ifdef G2A_DEFAULT_SOURCE_DIR
  return G2A_DEFAULT_SOURCE_DIR;
#else
  return ".";
#endif
}

}  // namespace g2a::test
