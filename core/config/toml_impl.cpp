// toml++ is compiled once, here; every other file sees it with TOML_HEADER_ONLY=0.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
