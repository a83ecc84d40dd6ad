// The JSON writer reproduces Python's json.dumps(indent=2, ensure_ascii=False) layout.
#include "json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <grok2api/plugin.hpp>

#include "json_parse.hpp"
#include "storage_client.hpp"

namespace g2a::storage_file {
namespace {

TEST(StorageFileJsonWriter, ProFixturesRoundTripByteForByte) {
  for (const char* name : {"token.json", "token.resaved.json", "proxy_state.json", "call_logs.json",
                           "video_tasks.json"}) {
    std::string text = g2a::test::read_text(g2a::test::fixture_path(name));
    ASSERT_FALSE(text.empty()) << name;
    EXPECT_EQ(to_pretty_json(parse_json(text, name)), text) << name;
  }
}

TEST(StorageFileJsonWriter, NumbersReadBackAsTheSameType) {
  auto compact = [](const char* text) { return to_compact_json(boost::json::parse(text)); };
  EXPECT_EQ(compact("[1.0, 0.1, 1e-5, 1e16, 1e15, -2.5, 12]"),
            "[1.0,0.1,1e-05,1e+16,1000000000000000.0,-2.5,12]");
  EXPECT_EQ(compact("[9223372036854775807, 18446744073709551615, -9223372036854775808]"),
            "[9223372036854775807,18446744073709551615,-9223372036854775808]");
}

TEST(StorageFileJsonWriter, StringsAreEscapedLikePython) {
  boost::json::value v = boost::json::string("a\"b\\c\n\t\x01/é主");
  EXPECT_EQ(to_compact_json(v), "\"a\\\"b\\\\c\\n\\t\\u0001/é主\"");
}

TEST(StorageFileJsonWriter, EmptyContainersStayOnOneLine) {
  EXPECT_EQ(to_pretty_json(boost::json::parse(R"({"a":{},"b":[],"c":[{}]})")),
            "{\n  \"a\": {},\n  \"b\": [],\n  \"c\": [\n    {}\n  ]\n}");
}

TEST(StorageFileJsonParse, ErrorsNameTheLineAndColumn) {
  try {
    parse_json("{\n  \"a\": 1,\n  \"b\": ]\n}", "data/x.json");
    FAIL() << "no exception";
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_PARSE_FAILURE);
    EXPECT_NE(std::string(e.what()).find("data/x.json: parse error at line 3, column 8"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace g2a::storage_file
