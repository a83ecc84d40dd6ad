#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "curves.hpp"
#include "rsc_payload.hpp"
#include "test_pages.hpp"
#include "vector_data.hpp"

namespace g2a::test {
namespace {

using namespace g2a::statsig;

bool same(const CurveTable& a, const CurveTable& b) {
  for (size_t g = 0; g < kCurveGroups; ++g)
    for (size_t s = 0; s < kCurvesPerGroup; ++s)
      if (a[g][s].color != b[g][s].color || a[g][s].deg != b[g][s].deg ||
          a[g][s].bezier != b[g][s].bezier)
        return false;
  return true;
}

TEST(CurvesPaths, ReadsTheVectorPaths) {
  CurveTable t = parse_curves_paths(vector::kPaths);
  // Group 3, segment 13 of the vector is what its seed selects.
  const Curve& c = t[3][13];
  EXPECT_EQ(c.color, (std::array<double, 6>{182, 143, 2, 108, 131, 20}));
  EXPECT_EQ(c.deg, 78);
  EXPECT_EQ(c.bezier, (std::array<double, 4>{231, 116, 102, 132}));
  EXPECT_EQ(t[0][0].color[0], 184);
  EXPECT_EQ(t[3][15].bezier[3], 28);
}

TEST(CurvesPaths, RejectsWrongShapes) {
  auto paths = vector::kPaths;
  paths.pop_back();
  EXPECT_THROW(parse_curves_paths(paths), g2a::Error);
  paths = vector::kPaths;
  paths[1] = paths[1].substr(0, paths[1].rfind('C'));  // 15 segments
  EXPECT_THROW(parse_curves_paths(paths), g2a::Error);
  paths = vector::kPaths;
  paths[2] += " 7";  // 12 numbers in the last segment
  EXPECT_THROW(parse_curves_paths(paths), g2a::Error);
}

TEST(CurvesJson, PlainAndEscapedFormsGiveTheSameTable) {
  CurveTable expected = parse_curves_paths(vector::kPaths);
  std::string json = pages::vector_curves_json();
  EXPECT_TRUE(same(parse_curves_json("{\"curves\":" + json + "}"), expected));
  EXPECT_TRUE(same(parse_curves_json("x \"curves\" : " + json), expected));
  std::string escaped =
      "self.__next_f.push([1,\"" + pages::js_string_body("{\"curves\":" + json) + "\"])";
  ASSERT_NE(escaped.find("\\\"curves\\\":[["), std::string::npos);
  EXPECT_TRUE(same(parse_curves_json(escaped), expected));
}

TEST(CurvesJson, SkipsOtherCurvesKeysAndFindsTheTable) {
  std::string json = pages::vector_curves_json();
  std::string text =
      "{\"curves_v\":1,\"curves\":\"none\",\"x\":{\"curves\":[[1]]},\"y\":"
      "{\"curves\":" +
      json + "}}";
  EXPECT_TRUE(same(parse_curves_json(text), parse_curves_paths(vector::kPaths)));
}

TEST(CurvesJson, ReportsMissingOrMalformedTables) {
  EXPECT_THROW(parse_curves_json("<html>no table</html>"), g2a::Error);
  EXPECT_THROW(parse_curves_json("\"curves\":[[{\"color\":[1,2,3],\"deg\":1,\"bezier\":[1,2,3,4]}]"
                                 "]"),
               g2a::Error);
  std::string json = pages::vector_curves_json();
  std::string no_deg = json;
  no_deg.replace(no_deg.find("\"deg\""), 5, "\"dex\"");
  EXPECT_THROW(parse_curves_json("\"curves\":" + no_deg), g2a::Error);
  EXPECT_THROW(parse_curves_json("\"curves\":" + json.substr(0, json.size() - 1)), g2a::Error);
}

TEST(RscPayload, JoinsPushesAndDecodesEscapes) {
  std::string html =
      "<script>self.__next_f.push([0])</script>"
      "<script>self.__next_f.push([1,\"a\\\"b\\\\c\\n\"])</script>"
      "<script>self.__next_f.push([1, \"\\u00e9\\x41\\ud83d\\ude00\"])</script>"
      "<script>self.__next_f.push([2,'single'])</script>";
  EXPECT_EQ(rsc_payload(html),
            "a\"b\\c\n\xC3\xA9"
            "A\xF0\x9F\x98\x80single");
}

TEST(RscPayload, CurvesSplitAcrossPushesAreFound) {
  std::string html = pages::page(pages::vector_page());
  EXPECT_TRUE(same(parse_curves_json(rsc_payload(html)), parse_curves_paths(vector::kPaths)));
}

TEST(JsUnescape, KeepsUnknownEscapesAndBrokenHex) {
  EXPECT_EQ(js_unescape("\\q\\x4\\u12"), "qx4u12");
  EXPECT_EQ(js_unescape("\\u{1F600}"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(js_unescape("end\\"), "end\\");
}

}  // namespace
}  // namespace g2a::test
