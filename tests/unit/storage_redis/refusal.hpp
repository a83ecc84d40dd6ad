// For tests of parsers that refuse input with g2a::Error(G2A_BAD_ARGUMENT): the message.
#pragma once

#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>

namespace g2a::storage_redis {

template <class Parse>
std::string refusal_of(Parse parse, std::string_view input) {
  try {
    parse(input);
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_BAD_ARGUMENT);
    return e.what();
  }
  ADD_FAILURE() << "accepted " << input;
  return {};
}

}  // namespace g2a::storage_redis
