// The multipart/form-data parser of the image edit and video routes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/http/multipart.hpp"

namespace {
using g2a::http::build_multipart;
using g2a::http::find_part;
using g2a::http::multipart_boundary;
using g2a::http::MultipartError;
using g2a::http::MultipartLimits;
using g2a::http::MultipartPart;
using g2a::http::parse_multipart;

constexpr std::string_view kBoundary = "----formdata-undici-059233659514";

TEST(Multipart, BoundaryFromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----formdata-undici-0592"),
            "----formdata-undici-0592");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=xyz"), "xyz");
  EXPECT_THROW(multipart_boundary("application/json"), MultipartError);
  EXPECT_THROW(multipart_boundary("multipart/form-data"), MultipartError);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary="), MultipartError);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')),
               MultipartError);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=\"abc"), MultipartError);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=a{b"), MultipartError);
}

// The body undici's FormData writes for images.edit (openai-node).
TEST(Multipart, WhatTheNodeSdkSends) {
  std::string b(kBoundary);
  std::string body = "--" + b +
                     "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"in.png\"\r\n"
                     "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n--data\r\n--" +
                     b +
                     "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nadd a hat\r\n--" +
                     b + "--\r\n";
  auto parts = parse_multipart(body, kBoundary);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "image");
  EXPECT_EQ(parts[0].filename.value_or("?"), "in.png");
  EXPECT_EQ(parts[0].content_type, "image/png");
  EXPECT_EQ(parts[0].data, "\x89PNG\r\n\x1a\n--data");
  EXPECT_EQ(parts[1].name, "prompt");
  EXPECT_FALSE(parts[1].filename.has_value());
  EXPECT_EQ(parts[1].data, "add a hat");
  EXPECT_EQ(find_part(parts, "prompt"), &parts[1]);
  EXPECT_EQ(find_part(parts, "mask"), nullptr);
}

TEST(Multipart, PreambleEpilogueAndPaddingAreTolerated) {
  std::string body =
      "preamble\r\n--xyz  \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--epilogue";
  auto parts = parse_multipart(body, "xyz");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "a");
  EXPECT_EQ(parts[0].data, "1");
}

TEST(Multipart, MalformedBodiesAreErrors) {
  auto bad = [](std::string body, MultipartLimits limits = {}) {
    EXPECT_THROW(parse_multipart(body, "xyz", limits), MultipartError) << body;
  };
  bad("");
  bad("no boundary here");
  bad("--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nnever closed");
  bad("--xyz\r\nContent-Disposition: form-data; name=a\r\n");    // no end of headers
  bad("--xyz\r\nContent-Type: text/plain\r\n\r\nx\r\n--xyz--");  // no disposition
  bad("--xyz\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--xyz--");
  bad("--xyz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--xyz--");  // no name
  bad("--xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--xyz--");
  bad("--xyz\r\nContent-Disposition: form-data; name=a\r\n folded\r\n\r\nx\r\n--xyz--");
  bad("--xyzjunk\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--xyz--");
  std::string two =
      "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
      "--xyz\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n--xyz--";
  MultipartLimits one_part;
  one_part.max_parts = 1;
  bad(two, one_part);
  MultipartLimits tiny;
  tiny.max_part_bytes = 0;
  bad(two, tiny);
  MultipartLimits short_headers;
  short_headers.max_header_bytes = 10;
  bad(two, short_headers);
  EXPECT_EQ(parse_multipart(two, "xyz").size(), 2u);
}

// Any parts built with a boundary their data does not hold parse back to the same parts.
RC_GTEST_PROP(MultipartProperty, BuildThenParseRoundTrips,
              (std::vector<std::tuple<std::string, std::string, bool, std::string>> spec)) {
  auto printable = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(' ' + static_cast<unsigned char>(c) % 95);
    return s;
  };
  std::vector<MultipartPart> parts;
  for (auto& [name, filename, is_file, data] : spec) {
    MultipartPart p;
    p.name = printable(name);
    if (is_file) p.filename = printable(filename);
    p.content_type = is_file ? "image/png" : "";
    p.data = data;
    parts.push_back(std::move(p));
  }
  std::string body = build_multipart(parts, kBoundary);
  MultipartLimits limits;
  limits.max_parts = parts.size();
  auto back = parse_multipart(body, kBoundary, limits);
  RC_ASSERT(back.size() == parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    RC_ASSERT(back[i].name == parts[i].name);
    RC_ASSERT(back[i].filename == parts[i].filename);
    RC_ASSERT(back[i].content_type == parts[i].content_type);
    RC_ASSERT(back[i].data == parts[i].data);
  }
}

}  // namespace
