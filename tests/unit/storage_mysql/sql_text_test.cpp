// LIKE escaping, hex literals and the call-log filter's SQL: what untrusted text turns into.
#include <gtest/gtest.h>

#include "call_log_sql.hpp"
#include "sql_text.hpp"

namespace g2a::storage_mysql {
namespace {

TEST(SqlText, LikeEscapeMakesWildcardsLiteral) {
  EXPECT_EQ(like_escape("plain"), "plain");
  EXPECT_EQ(like_escape("50%_off|x"), "50|%|_off||x");
  EXPECT_EQ(like_escape("back\\slash'quote"), "back\\slash'quote");  // quoted later
  EXPECT_EQ(like_prefix("ssoNormal/"), "ssoNormal/%");
  EXPECT_EQ(like_prefix("a_b"), "a|_b%");
  EXPECT_EQ(like_substring("%"), "%|%%");
  EXPECT_EQ(like_substring(""), "%%");
}

TEST(SqlText, HexLiteralCarriesAnyBytes) {
  EXPECT_EQ(hex_literal(""), "''");
  EXPECT_EQ(hex_literal("a'"), "X'6127'");
  EXPECT_EQ(hex_literal(std::string("\0\xff", 2)), "X'00FF'");
}

TEST(SqlText, LowerAsciiLeavesOtherBytes) {
  EXPECT_EQ(lower_ascii("GroK-3 \xC3\x89"), "grok-3 \xC3\x89");
}

TEST(CallLogSql, FilterBecomesHexLiteralsOnly) {
  LogFilter none;
  EXPECT_EQ(call_log_where(none), "");
  LogFilter f;
  f.sso = "A'b%";
  f.model = "Grok";
  f.success = 0;
  f.start_ms = 5;
  f.end_ms = 9;
  std::string where = call_log_where(f, "response_time IS NOT NULL");
  EXPECT_EQ(where, " WHERE ts >= 5 AND ts <= 9 AND success = 0 AND sso_full LIKE " +
                       hex_literal("%a'b|%%") + " ESCAPE '|' AND model_lc LIKE " +
                       hex_literal("%grok%") + " ESCAPE '|' AND response_time IS NOT NULL");
  EXPECT_EQ(where.find('\''), where.find("X'") + 1);  // no quote before the first literal
}

TEST(CallLogSql, BucketNumberFloorsWithTheOffset) {
  EXPECT_EQ(bucket_number_sql(3600000, -28800000), "FLOOR((ts + (-28800000)) / 3600000)");
}

}  // namespace
}  // namespace g2a::storage_mysql
