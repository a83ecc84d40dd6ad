#include <gtest/gtest.h>

#include <grok2api/plugin.hpp>

#include "page_fetch.hpp"
#include "page_scrape.hpp"
#include "test_pages.hpp"
#include "url_util.hpp"
#include "vector_data.hpp"

namespace g2a::test {
namespace {

using namespace g2a::statsig;

TEST(SiteVerification, AnyAttributeOrderCaseAndQuoting) {
  const std::string seed = vector::kSeed;
  for (const std::string& tag : {
           "<meta name=\"grok-site-verification\" content=\"" + seed + "\">",
           "<META CONTENT='" + seed + "' NAME='GROK-SITE-VERIFICATION'/>",
           "<meta\n  data-x=\"1\"\n  content=" + seed + "\n  name=grok-site-verification >",
           "<meta content=\" " + seed +
               " \" name=\"grok\xE2\x80\x91site\xE2\x80\x93verification\">",
           "<meta name=\"grok_site verification\" content=\"" + seed + "\">",
       }) {
    auto found = find_site_verification("<head><meta charset=utf-8>" + tag + "</head>");
    ASSERT_TRUE(found) << tag;
    EXPECT_EQ(*found, seed) << tag;
  }
}

TEST(SiteVerification, DecodesCharacterReferences) {
  auto found = find_site_verification(
      "<meta name=\"grok-site-verification\" content=\"ab&#43;c&#x2F;d&amp;e&#61;\">");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, "ab+c/d&e=");
}

TEST(SiteVerification, IgnoresOtherMetaTagsAndLookalikes) {
  EXPECT_FALSE(find_site_verification("<meta name=\"google-site-verification\" content=\"x\">"));
  EXPECT_FALSE(find_site_verification("<meta name=\"grok-site-verification\">"));
  EXPECT_FALSE(find_site_verification("<metadata name=\"grok-site-verification\" content=\"x\">"));
  EXPECT_FALSE(find_site_verification("<p>name=\"grok-site-verification\" content=\"x\"</p>"));
  EXPECT_FALSE(find_site_verification(""));
}

TEST(Seed, MustDecodeToFortyEightBytes) {
  EXPECT_EQ(decode_seed(vector::kSeed).size(), 48u);
  EXPECT_EQ(decode_seed(vector::kSeed.substr(0, 64)).size(), 48u);
  try {
    decode_seed("QUJD");
    FAIL();
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_PARSE_FAILURE);
    EXPECT_NE(std::string(e.what()).find("3 bytes"), std::string::npos);
  }
  EXPECT_THROW(decode_seed("not base64!"), g2a::Error);
}

TEST(ChunkScripts, ResolvesAndFiltersScriptSources) {
  std::string html =
      "<script src=\"/_next/static/chunks/webpack-1.js\" async></script>"
      "<SCRIPT SRC='https://cdn.grok.test/_next/static/chunks/app/page-2.js'></SCRIPT>"
      "<script src=\"//cdn2.grok.test/_next/static/chunks/x-3.js?dpl=abc\"></script>"
      "<script src=\"/_next/static/chunks/webpack-1.js\"></script>"
      "<script src=\"/_next/static/css/app.css\"></script>"
      "<script>let s='<script src=\"inline\">'</script>"
      "<link rel=preload href=\"/_next/static/chunks/preload-4.js\">"
      "<script src=\"/assets/other.js\"></script>";
  auto urls = chunk_script_urls(html, "https://grok.test/index");
  EXPECT_EQ(urls, (std::vector<std::string>{
                      "https://grok.test/_next/static/chunks/webpack-1.js",
                      "https://cdn.grok.test/_next/static/chunks/app/page-2.js",
                      "https://cdn2.grok.test/_next/static/chunks/x-3.js?dpl=abc",
                  }));
}

TEST(ReadPage, CollectsMetaCurvesAndChunks) {
  PageData p = read_page(pages::page(pages::vector_page()), pages::kBase + "/index");
  ASSERT_TRUE(p.meta);
  EXPECT_EQ(*p.meta, vector::kSeed);
  EXPECT_TRUE(p.curves) << p.curves_error;
  EXPECT_EQ(p.chunk_urls.size(), 3u);
  PageData empty = read_page("<html></html>", pages::kBase + "/");
  EXPECT_FALSE(empty.meta);
  EXPECT_FALSE(empty.curves);
  EXPECT_FALSE(empty.curves_error.empty());
}

TEST(UrlUtil, OriginsResolutionPathnamesAndRedaction) {
  EXPECT_EQ(url_origin("https://grok.com/a/b?c"), "https://grok.com");
  EXPECT_EQ(url_origin("http://h:8080"), "http://h:8080");
  EXPECT_EQ(url_origin("/relative"), "");
  EXPECT_EQ(url_resolve("x.js", "https://h/a/b.html"), "https://h/a/x.js");
  EXPECT_EQ(url_resolve("/x.js", "https://h/a/b"), "https://h/x.js");
  EXPECT_EQ(url_resolve("//c/x.js", "https://h/"), "https://c/x.js");
  EXPECT_EQ(url_pathname("/rest/app-chat/conversations/new?x=1#f"),
            "/rest/app-chat/conversations/new");
  EXPECT_EQ(url_pathname("https://grok.com/rest/rate-limits?a"), "/rest/rate-limits");
  EXPECT_EQ(url_pathname("https://grok.com"), "/");
  EXPECT_EQ(url_redacted("https://user:secret@signer.example/sign?key=k"),
            "https://signer.example/sign");
}

}  // namespace
}  // namespace g2a::test
