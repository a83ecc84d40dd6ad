// database_url parsing: defaults, percent-decoding, IPv6, and clear errors that never
// show the password.
#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "mysql_url.hpp"
#include "support/refusal.hpp"

namespace g2a::storage_mysql {
namespace {

std::string error_of(std::string_view url) {
  return g2a::test::refusal_of(parse_mysql_url, url);
}

TEST(MysqlUrl, ParsesEveryPart) {
  MysqlUrl u = parse_mysql_url("mysql://g2a:pw@db.example:3307/gateway");
  EXPECT_EQ(u.user, "g2a");
  EXPECT_EQ(u.password, "pw");
  EXPECT_EQ(u.host, "db.example");
  EXPECT_EQ(u.port, 3307);
  EXPECT_EQ(u.database, "gateway");
  EXPECT_FALSE(u.ssl);
  EXPECT_EQ(u.describe(), "mysql://db.example:3307/gateway");
}

TEST(MysqlUrl, DefaultsPortAndDatabase) {
  MysqlUrl u = parse_mysql_url("mysql://root@localhost");
  EXPECT_EQ(u.user, "root");
  EXPECT_EQ(u.password, "");
  EXPECT_EQ(u.port, 3306);
  EXPECT_EQ(u.database, "grok2api");
  EXPECT_EQ(parse_mysql_url("mysql://h/").database, "grok2api");
  EXPECT_EQ(parse_mysql_url("mysql://h").user, "");
}

TEST(MysqlUrl, PercentDecodesUserAndPassword) {
  MysqlUrl u = parse_mysql_url("mysql://us%40er:p%3Aa%2Fss%25w%40rd@h:1/d");
  EXPECT_EQ(u.user, "us@er");
  EXPECT_EQ(u.password, "p:a/ss%w@rd");
  // Unencoded '@' and '/' in the password still parse: the host follows the last '@'.
  MysqlUrl raw = parse_mysql_url("mysql://u:p@ss/w@h:2/d");
  EXPECT_EQ(raw.password, "p@ss/w");
  EXPECT_EQ(raw.host, "h");
  EXPECT_EQ(raw.port, 2);
}

TEST(MysqlUrl, AcceptsIpv6AndSsl) {
  MysqlUrl u = parse_mysql_url("mysql://u:p@[::1]:3310/db?ssl=true");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 3310);
  EXPECT_TRUE(u.ssl);
  EXPECT_EQ(u.describe(), "mysql://[::1]:3310/db");
  EXPECT_FALSE(parse_mysql_url("mysql://h/db?ssl=false").ssl);
}

TEST(MysqlUrl, RefusesBadUrlsWithoutShowingThePassword) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("postgres://u:secret@h/db").find("scheme \"postgres\""), std::string::npos);
  EXPECT_NE(error_of("h:3306/db").find("no scheme"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@/db").find("no host"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h:abc/db").find("port"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h:0/db").find("port"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h:70000/db").find("port"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h:/db").find("empty port"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:sec%zzret@h/db").find("percent escape in the password"),
            std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h/my%60db").find("database name"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h/db?tls=1").find("unknown option"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@h/db?ssl=maybe").find("ssl"), std::string::npos);
  EXPECT_NE(error_of("mysql://u:secret@[::1/db").find("IPv6"), std::string::npos);
  for (const char* url : {"postgres://u:secret@h/db", "mysql://u:secret@h:abc/db",
                          "mysql://u:sec%zzret@h/db", "mysql://u:secret@h/my%60db"})
    EXPECT_EQ(error_of(url).find("secret"), std::string::npos) << url;
}

TEST(MysqlUrl, PercentDecodeHandlesEdges) {
  EXPECT_EQ(percent_decode("a%20b%2a", "x"), "a b*");
  EXPECT_THROW(percent_decode("%2", "x"), g2a::Error);
  EXPECT_THROW(percent_decode("%", "x"), g2a::Error);
  EXPECT_EQ(percent_decode("%00", "x"), std::string(1, '\0'));
}

}  // namespace
}  // namespace g2a::storage_mysql
