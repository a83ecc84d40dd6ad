// Non-ASCII outside strings and comments is refused before toml++ sees it (toml++ 3.3
// has undefined behaviour there); inside strings and comments it is fine.
#include <gtest/gtest.h>

#include "config_test_support.hpp"
#include "core/config/toml_guard.hpp"

namespace g2a::config {
namespace {

TEST(TomlGuard, FindsBareNonAscii) {
  auto pos = find_bare_non_ascii("a = 1\nb = 2 \xe3\x80\x82\n");  // U+3002 after a value
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->line, 2u);
  EXPECT_EQ(pos->column, 7u);
  EXPECT_TRUE(find_bare_non_ascii("\xc3\xa9 = 1"));  // é as a bare key
}

TEST(TomlGuard, AcceptsStringsAndComments) {
  EXPECT_FALSE(find_bare_non_ascii("# 中文注释。\na = \"值。\" # 注释\nb = '字'\n"));
  EXPECT_FALSE(find_bare_non_ascii("s = \"\"\"多行\n\"文本\"。\"\"\"\"\nt = '''\n。'''\n"));
  EXPECT_FALSE(find_bare_non_ascii("e = \"esc \\\" 。\"\n"));
  EXPECT_FALSE(find_bare_non_ascii("arr = [\"一\", '二'] # 三\n"));
}

TEST(TomlGuard, SettingsLoadRefusesItWithALineNumber) {
  auto error = testing::config_error(
      [] { testing::load_text("[global]\nlog_level = \"INFO\" \xe3\x80\x81\n"); });
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_NE(error.find("non-ASCII"), std::string::npos) << error;
}

}  // namespace
}  // namespace g2a::config
