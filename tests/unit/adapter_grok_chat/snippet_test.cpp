// Quotes of raw upstream bytes stay valid UTF-8 and short.
#include <gtest/gtest.h>

#include "snippet.hpp"

namespace g2a::test {
namespace {

using g2a::plugin_common::snippet;

TEST(GrokChatSnippet, KeepsValidTextAndReplacesTheRest) {
  EXPECT_EQ(snippet("plain {json"), "plain {json");
  EXPECT_EQ(snippet("é中😀"), "é中😀");
  EXPECT_EQ(snippet("a\xff"
                    "b\xc0\xaf"
                    "c\n"),
            "a?b??c?");
  EXPECT_EQ(snippet("\xed\xa0\x80"), "???") << "a surrogate is not UTF-8";
}

TEST(GrokChatSnippet, NeverCutsACharacter) {
  EXPECT_EQ(snippet("ab中", 4), "ab");
  EXPECT_EQ(snippet(std::string(500, 'x')).size(), 120u);
}

}  // namespace
}  // namespace g2a::test
