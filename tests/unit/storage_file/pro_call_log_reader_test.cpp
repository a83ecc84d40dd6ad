// The Pro call_logs.json read one record at a time gives what a whole-document parse
// gives, and refuses what that parse refuses.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/json.hpp>
#include <grok2api/plugin.hpp>

#include "pro_call_log_reader.hpp"
#include "support/refusal.hpp"

namespace g2a::storage_file {
namespace {
namespace json = boost::json;

std::vector<json::value> read(std::string_view text) {
  std::vector<json::value> out;
  for_each_pro_call_log(text, "call_logs.json", [&](const json::value& v) { out.push_back(v); });
  return out;
}

std::string error_of(std::string_view text) {
  return g2a::test::refusal_of(read, text, G2A_PARSE_FAILURE);
}

TEST(ProCallLogReader, ReadsTheLogsOfTheProShapeAndOfABareArray) {
  auto logs = read(R"( {"meta": {"x": [1, {"y": "}]"}]}, "logs" : [ {"id": "a\"]", "timestamp": 1},
      {"timestamp": 2.5, "media_urls": []} ] , "other": null } )");
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0], json::parse(R"({"id": "a\"]", "timestamp": 1})"));
  EXPECT_EQ(logs[1].at("timestamp"), 2.5);
  EXPECT_EQ(read(R"([{"id": "b"}, 3, "x"])").size(), 3u);
  EXPECT_TRUE(read(R"({"logs": []})").empty());
}

TEST(ProCallLogReader, RepeatedLogsKeysKeepTheLastLikeAWholeParse) {
  auto logs = read(R"({"logs": [{"id": "old"}], "logs": [{"id": "new"}, {"id": "newer"}]})");
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].at("id"), "new");
  // The ignored one must still be JSON; a last "logs" that is not an array is no log.
  EXPECT_NE(error_of(R"({"logs": [{"id": ,}], "logs": []})").find("call_logs.json"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"logs": [], "logs": null})").find(R"(expected {"logs": [...]})"),
            std::string::npos);
}

TEST(ProCallLogReader, RefusesWhatIsNotOneDocumentOfThatShape) {
  for (const char* bad : {"",
                          "   ",
                          "{",
                          "{\"logs\": [",
                          "{\"logs\": [{}",
                          "{\"logs\": [{}]",
                          "{\"logs\": [{},]}",
                          "{\"logs\": [{} {}]}",
                          "{\"logs\": []} x",
                          "{\"logs\": [{\"id\": 1,,}]}",
                          "{logs: []}",
                          "{\"logs\" []}",
                          "{\"logs\": [], }",
                          "{\"meta\": 1}",
                          "{}",
                          "null",
                          "[1 2]",
                          "[tru]",
                          "{\"logs\": [\"unterminated]}",
                          "{\"logs\": [12\"x\"]}",
                          "{\"logs\": [}]}"})
    error_of(bad);
  // The message says where.
  EXPECT_NE(error_of(R"({"logs": [{"a": 1}, {"a": 1,,}]})").find("at byte 20"), std::string::npos);
}

// Text made of pieces that matter to a scanner: quotes, escapes, brackets, UTF-8.
rc::Gen<std::string> text_gen() {
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                          "a", "\"", "\\", "\n", "}", "]", "{", "[", ",", ":", " ", "é", "主")),
                      [](const std::vector<std::string>& parts) {
                        std::string out;
                        for (const auto& p : parts) out += p;
                        return out;
                      });
}

// Any array of records, laid out with any whitespace, reads back element for element.
RC_GTEST_PROP(ProCallLogReader, AgreesWithAWholeDocumentParse, (bool wrapped, bool pretty)) {
  auto records = *rc::gen::resize(
      40, rc::gen::container<std::vector<std::vector<std::pair<std::string, std::string>>>>(
              rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
                  rc::gen::pair(text_gen(), text_gen()))));
  json::array logs;
  for (const auto& r : records) {
    json::object o;
    for (const auto& [k, v] : r) o[k] = v;
    logs.push_back(std::move(o));
  }
  json::value doc = wrapped ? json::value(json::object{{"meta", {{"n", "]}"}}}, {"logs", logs}})
                            : json::value(logs);
  std::string text = json::serialize(doc);
  if (pretty) {
    std::string spaced;
    for (char c : text) {
      spaced += c;
      if (c == ',' || c == '[' || c == '{' || c == ':') spaced += "\n  ";
    }
    // Whitespace lands inside strings too; keep the layout only when the document is the same.
    boost::system::error_code ec;
    json::value again = json::parse(spaced, ec);
    if (!ec && again == doc) text = spaced;
  }
  auto got = read(text);
  RC_ASSERT(got.size() == logs.size());
  for (std::size_t i = 0; i < got.size(); ++i) RC_ASSERT(got[i] == logs[i]);
}

}  // namespace
}  // namespace g2a::storage_file
