// For tests of parsers that refuse input with a g2a::Error: the message, after checking
// the status (G2A_BAD_ARGUMENT unless told).
#pragma once

#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>

namespace g2a::test {

template <class Parse>
std::string refusal_of(Parse parse, std::string_view input,
                       g2a_status expected = G2A_BAD_ARGUMENT) {
  try {
    parse(input);
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), expected);
    return e.what();
  }
  ADD_FAILURE() << "accepted " << input;
  return {};
}

}  // namespace g2a::test
