#include <gtest/gtest.h>

#include "chunk_scrape.hpp"
#include "test_pages.hpp"

namespace g2a::test {
namespace {

using namespace g2a::statsig;

TEST(GeneratorChunk, RecognisesModule1645e3AsAToken) {
  EXPECT_TRUE(references_generator("n.bind(n,1645e3)"));
  EXPECT_TRUE(references_generator("{1645e3:(e,t,n)=>{}}"));
  EXPECT_TRUE(references_generator("t(1645000)"));
  EXPECT_FALSE(references_generator("t(11645e3)"));
  EXPECT_FALSE(references_generator("t(1645e31)"));
  EXPECT_FALSE(references_generator("x.1645e3"));
  EXPECT_FALSE(references_generator("a1645e3"));
  EXPECT_FALSE(references_generator(pages::decoy_chunk()));
  EXPECT_TRUE(references_generator(pages::generator_chunk(5, 12, {8, 20, 29})));
}

TEST(GeneratorChunk, ReadsTheFiveIndices) {
  auto idx = parse_indices(pages::generator_chunk(5, 12, {8, 20, 29}));
  ASSERT_TRUE(idx);
  EXPECT_EQ(*idx, (Indices{5, 12, {8, 20, 29}}));
}

TEST(GeneratorChunk, AnyIdentifierAndSpacing) {
  auto idx = parse_indices(
      "let $q=k[ $seed_1[ 7 ] % 4 ],w=z[_[33]%16];f(A[1] , 16)+g($[2],16)*h(o0[47],16)");
  ASSERT_TRUE(idx);
  EXPECT_EQ(*idx, (Indices{7, 33, {1, 2, 47}}));
}

TEST(GeneratorChunk, FirstMatchesWinInOrder) {
  auto idx =
      parse_indices("a[b[3]%4];c[d[4]%4];e[f[9]%16];(g[1],16);(g[2],16);(g[3],16);(g[4],16)");
  ASSERT_TRUE(idx);
  EXPECT_EQ(*idx, (Indices{3, 9, {1, 2, 3}}));
}

TEST(GeneratorChunk, OlderLayoutWithoutModulo16ReadsSegmentFromTheFirstCall) {
  auto idx = parse_indices("f(n[24],16)*g(n[17],16)*h(n[8],16)*k(n[11],16);x=q[n[5]%4]");
  ASSERT_TRUE(idx);
  EXPECT_EQ(*idx, (Indices{5, 24, {17, 8, 11}}));
}

TEST(GeneratorChunk, RejectsIncompleteOrOutOfRange) {
  EXPECT_FALSE(parse_indices("a[b[3]%4];e[f[9]%16];(g[1],16);(g[2],16)"));  // two time bytes
  EXPECT_FALSE(parse_indices("e[f[9]%16];(g[1],16);(g[2],16);(g[3],16)"));  // no group
  EXPECT_FALSE(parse_indices("a[b[48]%4];e[f[9]%16];(g[1],16);(g[2],16);(g[3],16)"));
  EXPECT_FALSE(parse_indices("a[b[3]%40];e[f[9]%160];(g[1],160);(g[2],16);(g[3],16)"));
  EXPECT_FALSE(parse_indices("a[b[3]%4];e[f[9]%16];(g[1],16);(2[2],16);(g[3],16)"));
  EXPECT_FALSE(parse_indices(""));
}

TEST(ChunkReferences, FindsChunkPathsInStringLiterals) {
  std::string js =
      "n.u=e=>\"static/chunks/\"+e+\".js\";a=\"static/chunks/7301-abc.js\";"
      "b='/_next/static/chunks/app/page-1.js';c=`https://cdn.x/_next/static/chunks/z.js`;"
      "d=\"static/chunks/7301-abc.js\";e=\"static/chunks/not js\"";
  auto refs = chunk_references(js, "https://grok.test/_next/static/chunks/loader.js");
  EXPECT_EQ(refs, (std::vector<std::string>{"https://grok.test/_next/static/chunks/7301-abc.js",
                                            "https://grok.test/_next/static/chunks/app/page-1.js",
                                            "https://cdn.x/_next/static/chunks/z.js"}));
}

}  // namespace
}  // namespace g2a::test
