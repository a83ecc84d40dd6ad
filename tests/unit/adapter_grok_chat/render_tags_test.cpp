// The inline markup filter (<grok:render> and the grok.filtered_tags elements).
#include <gtest/gtest.h>

#include "render_tags.hpp"

namespace g2a::test {
namespace {

using g2a::grok_chat::TagFilter;

std::string filter(std::initializer_list<std::string_view> pieces, TagFilter f = TagFilter()) {
  std::string out;
  for (auto p : pieces) out += f.push(p);
  return out + f.flush();
}

TEST(GrokChatRenderTags, WholeTagsAreRemoved) {
  EXPECT_EQ(
      filter(
          {R"(a<grok:render card_id="1" card_type="citation_card" type="render_inline_citation"><argument name="citation_id">0</argument></grok:render>b)"}),
      "ab");
  EXPECT_EQ(filter({R"(a<grok:render type="render_generated_image"/>b)"}), "ab");
}

TEST(GrokChatRenderTags, OtherMarkupStays) {
  EXPECT_EQ(filter({"1 < 2 and <b>bold</b> <grok:rendered> x<"}),
            "1 < 2 and <b>bold</b> <grok:rendered> x<");
}

TEST(GrokChatRenderTags, TagsSplitAnywhereAreHeldThenRemoved) {
  TagFilter f;
  EXPECT_EQ(f.push("Hi <gro"), "Hi ");
  EXPECT_EQ(f.push("k:render id=\"x\">in"), "");
  EXPECT_EQ(f.push("ner</grok:ren"), "");
  EXPECT_EQ(f.push("der> there"), " there");
  EXPECT_EQ(f.flush(), "");
}

TEST(GrokChatRenderTags, AnUnterminatedTagIsDroppedAtTheEnd) {
  EXPECT_EQ(filter({"x <grok:render type=\"y\">never closed"}), "x ");
  EXPECT_EQ(filter({"x <gr"}), "x <gr");
}

TEST(GrokChatRenderTags, AHugeUnclosedTagIsGivenBackAsText) {
  TagFilter f;
  std::string big = "<grok:render " + std::string(70 * 1024, 'a');
  EXPECT_EQ(f.push(big), big);
}

TEST(GrokChatRenderTags, EveryListedElementGoesWholeWhateverItsCase) {
  EXPECT_EQ(filter({"a<xaiArtifact title=\"t\">code</xaiArtifact>b"}), "ab");
  EXPECT_EQ(filter({"a<xai:tool_usage_card><xai:tool_name>web_search</xai:tool_name>",
                    "</xai:tool_usage_card>b"}),
            "ab");
  EXPECT_EQ(filter({"a</xaiartifact>b"}), "ab");  // a stray closing tag
  EXPECT_EQ(filter({"<x-y>a</x-y>b<z>"}, TagFilter({"X-Y"})), "b<z>");
}

TEST(GrokChatRenderTags, AnEmptyListFiltersNothing) {
  std::string text = R"(a<grok:render type="x">0</grok:render><xaiArtifact>c</xaiArtifact><gr)";
  EXPECT_EQ(filter({text}, TagFilter(std::vector<std::string>{})), text);
  EXPECT_EQ(filter({text}, TagFilter({""})), text);
}

TEST(GrokChatRenderTags, UnlistedElementsStay) {
  std::string text = R"(a<grok:render type="x">0</grok:render>b)";
  EXPECT_EQ(filter({text}, TagFilter({"xaiartifact"})), text);
}

}  // namespace
}  // namespace g2a::test
