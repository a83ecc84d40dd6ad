// POST /v1/videos and /remix bodies in the three encodings clients use, into CreateInput,
// with 400s that name the field.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/http/multipart.hpp"
#include "core/openai/video_request.hpp"

namespace {
using g2a::http::build_multipart;
using g2a::http::MultipartPart;
using g2a::openai::parse_video_create;
using g2a::openai::parse_video_remix;
using g2a::video::CreateInput;
using g2a::video::VideoError;

constexpr size_t kMax = 1u << 20;
constexpr std::string_view kBoundary = "----formdata-undici-059233659514";
const std::string kMultipart = "multipart/form-data; boundary=" + std::string(kBoundary);
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
// kPng as base64.
const std::string kPngBase64 = "iVBORw0KGgoAAAANSUhEUg==";

MultipartPart text(std::string name, std::string value) {
  MultipartPart p;
  p.name = std::move(name);
  p.data = std::move(value);
  return p;
}

MultipartPart file(std::string name, std::string filename, std::string type, std::string data) {
  MultipartPart p = text(std::move(name), std::move(data));
  p.filename = std::move(filename);
  p.content_type = std::move(type);
  return p;
}

CreateInput multipart(const std::vector<MultipartPart>& parts) {
  return parse_video_create(kMultipart, build_multipart(parts, kBoundary), kMax);
}

// The VideoError a parse throws (status 0 when none).
template <class F>
VideoError error_of(F f) {
  try {
    f();
  } catch (const VideoError& e) {
    return e;
  }
  return VideoError(0, "", "", "no error");
}

VideoError create_error(std::string_view type, std::string_view body) {
  return error_of([&] { parse_video_create(type, body, kMax); });
}

TEST(VideoRequest, JsonWithEveryField) {
  auto in = parse_video_create(
      "application/json",
      R"({"prompt":"a cat","model":"sora-2-pro","seconds":"8","size":"1280x720","user":"u1",)"
      R"("unknown":{"x":1}})",
      kMax);
  EXPECT_EQ(in.prompt, "a cat");
  EXPECT_EQ(in.model, "sora-2-pro");
  EXPECT_EQ(in.seconds, "8");
  EXPECT_EQ(in.size, "1280x720");
  EXPECT_EQ(in.user, "u1");
  EXPECT_TRUE(in.reference.empty());
}

TEST(VideoRequest, JsonSecondsAsAnIntegerAndDefaultsLeftEmpty) {
  auto in = parse_video_create("application/json; charset=utf-8",
                               R"({"prompt":"p","seconds":6,"model":null})", kMax);
  EXPECT_EQ(in.seconds, "6");
  EXPECT_EQ(in.model, "");
  EXPECT_EQ(in.size, "");
  // curl -d sends no JSON type: the body is read as JSON all the same.
  EXPECT_EQ(parse_video_create("", R"({"prompt":"p"})", kMax).prompt, "p");
  EXPECT_EQ(parse_video_create("application/x-www-form-urlencoded; charset=UTF-8", "prompt=p", kMax)
                .prompt,
            "p");
}

TEST(VideoRequest, JsonFieldsOfTheWrongTypeNameTheField) {
  auto e = create_error("application/json", R"({"prompt":"p","seconds":8.5})");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.param(), "seconds");
  EXPECT_EQ(e.code(), "invalid_value");
  EXPECT_EQ(create_error("application/json", R"({"prompt":"p","seconds":true})").param(),
            "seconds");
  EXPECT_EQ(create_error("application/json", R"({"prompt":"p","size":1280})").param(), "size");
  EXPECT_EQ(create_error("application/json", R"({"prompt":"p","model":["a"]})").param(), "model");
  EXPECT_EQ(create_error("application/json", R"({"prompt":5})").param(), "prompt");
}

TEST(VideoRequest, PromptIsRequired) {
  for (std::string_view body : {R"({})", R"({"prompt":""})", R"({"prompt":null})"}) {
    auto e = create_error("application/json", body);
    EXPECT_EQ(e.status(), 400) << body;
    EXPECT_EQ(e.param(), "prompt") << body;
    EXPECT_EQ(e.code(), "missing_required_parameter") << body;
  }
  EXPECT_EQ(create_error("application/x-www-form-urlencoded", "model=sora-2").param(), "prompt");
  EXPECT_EQ(error_of([] { multipart({text("model", "sora-2")}); }).param(), "prompt");
}

TEST(VideoRequest, BodiesThatCannotBeRead) {
  auto e = create_error("application/json", "{not json");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "invalid_json");
  EXPECT_EQ(create_error("application/json", "[1]").code(), "invalid_json");
  EXPECT_EQ(create_error("multipart/form-data", "x").code(), "invalid_multipart");  // no boundary
  EXPECT_EQ(create_error(kMultipart, "garbage").code(), "invalid_multipart");
}

TEST(VideoRequest, JsonReferenceAsAUrlObjectOrString) {
  auto in = parse_video_create(
      "application/json",
      R"({"prompt":"p","input_reference":{"image_url":"https://example.com/a.png"}})", kMax);
  EXPECT_EQ(in.reference.url, "https://example.com/a.png");
  EXPECT_TRUE(in.reference.bytes.empty());
  in = parse_video_create("application/json",
                          R"({"prompt":"p","input_reference":"http://example.com/b.jpg"})", kMax);
  EXPECT_EQ(in.reference.url, "http://example.com/b.jpg");
}

TEST(VideoRequest, DataUrlReferencesAreDecoded) {
  auto in = parse_video_create("application/json",
                               R"({"prompt":"p","input_reference":{"image_url":"data:image/png;)"
                               R"(base64,)" +
                                   kPngBase64 + R"("}})",
                               kMax);
  EXPECT_EQ(in.reference.bytes, kPng);
  EXPECT_EQ(in.reference.mime, "image/png");
  EXPECT_TRUE(in.reference.url.empty());
  auto e = create_error("application/json",
                        R"({"prompt":"p","input_reference":"data:image/png;base64,!!!"})");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.param(), "input_reference");
  e = create_error("application/json", R"({"prompt":"p","input_reference":"ftp://x/y.png"})");
  EXPECT_EQ(e.param(), "input_reference");
}

TEST(VideoRequest, FileIdReferencesAreRefused) {
  auto e = create_error("application/json",
                        R"({"prompt":"p","input_reference":{"file_id":"file-123"}})");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.param(), "input_reference");
  EXPECT_NE(std::string(e.what()).find("file_id"), std::string::npos);
  e = error_of([] { multipart({text("prompt", "p"), text("input_reference[file_id]", "f")}); });
  EXPECT_EQ(e.param(), "input_reference");
  e = create_error("application/x-www-form-urlencoded",
                   "prompt=p&input_reference%5Bfile_id%5D=file-1");
  EXPECT_EQ(e.param(), "input_reference");
  EXPECT_EQ(create_error("application/json", R"({"prompt":"p","input_reference":{}})").param(),
            "input_reference");
  EXPECT_EQ(create_error("application/json", R"({"prompt":"p","input_reference":7})").param(),
            "input_reference");
}

TEST(VideoRequest, MultipartAsTheSdkSendsIt) {
  auto in =
      multipart({text("prompt", "a cat"), text("model", "sora-2"), text("seconds", "8"),
                 text("size", "1280x720"), file("input_reference", "ref.png", "image/png", kPng)});
  EXPECT_EQ(in.prompt, "a cat");
  EXPECT_EQ(in.model, "sora-2");
  EXPECT_EQ(in.seconds, "8");
  EXPECT_EQ(in.size, "1280x720");
  EXPECT_EQ(in.reference.bytes, kPng);
  EXPECT_EQ(in.reference.mime, "image/png");
  EXPECT_EQ(in.reference.filename, "ref.png");
}

TEST(VideoRequest, MultipartFileWithoutATypeIsRecognisedByItsBytes) {
  auto in = multipart(
      {text("prompt", "p"), file("input_reference", "blob", "application/octet-stream", kPng)});
  EXPECT_EQ(in.reference.mime, "image/png");
  // An empty file part (a form with no file chosen) is no reference.
  in =
      multipart({text("prompt", "p"), file("input_reference", "", "application/octet-stream", "")});
  EXPECT_TRUE(in.reference.empty());
}

TEST(VideoRequest, MultipartReferenceTooLarge) {
  std::string big = kPng + std::string(kMax, 'x');
  auto e = error_of([&] {
    multipart({text("prompt", "p"), file("input_reference", "a.png", "image/png", big)});
  });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.param(), "input_reference");
}

TEST(VideoRequest, MultipartTextReferences) {
  auto in = multipart(
      {text("prompt", "p"), text("input_reference[image_url]", "https://example.com/x.webp")});
  EXPECT_EQ(in.reference.url, "https://example.com/x.webp");
  in = multipart(
      {text("prompt", "p"), text("input_reference", "data:image/png;base64," + kPngBase64)});
  EXPECT_EQ(in.reference.bytes, kPng);
  in = multipart({text("prompt", "p"), text("input_reference", "")});
  EXPECT_TRUE(in.reference.empty());
}

TEST(VideoRequest, FormUrlencoded) {
  auto in = parse_video_create(
      "application/x-www-form-urlencoded",
      "prompt=a+cat+%26+a+dog&seconds=4&size=720x1280&input_reference=https%3A%2F%2Fe.com%2Fa.png",
      kMax);
  EXPECT_EQ(in.prompt, "a cat & a dog");
  EXPECT_EQ(in.seconds, "4");
  EXPECT_EQ(in.size, "720x1280");
  EXPECT_EQ(in.reference.url, "https://e.com/a.png");
}

TEST(VideoRequest, SecondsTextIsHandedOnForTheServiceToJudge) {
  EXPECT_EQ(
      parse_video_create("application/json", R"({"prompt":"p","seconds":"abc"})", kMax).seconds,
      "abc");
  EXPECT_EQ(multipart({text("prompt", "p"), text("seconds", "12")}).seconds, "12");
}

TEST(VideoRequest, RemixInEveryEncoding) {
  EXPECT_EQ(parse_video_remix("application/json", R"({"prompt":"more"})").prompt, "more");
  EXPECT_EQ(parse_video_remix("application/x-www-form-urlencoded", "prompt=more&user=u").user, "u");
  EXPECT_EQ(parse_video_remix(kMultipart, build_multipart({text("prompt", "m")}, kBoundary)).prompt,
            "m");
  auto e = error_of([] { parse_video_remix("application/json", "{}"); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.param(), "prompt");
}

// Whatever the body, a parse either succeeds with a prompt or throws a 400 VideoError.
RC_GTEST_PROP(VideoRequestProperty, AnyBodyGivesAPromptOrA400, (std::string body, unsigned kind)) {
  static const std::string kTypes[] = {"application/json", "application/x-www-form-urlencoded",
                                       kMultipart, ""};
  try {
    auto in = parse_video_create(kTypes[kind % 4], body, kMax);
    RC_ASSERT(!in.prompt.empty());
  } catch (const VideoError& e) {
    RC_ASSERT(e.status() == 400);
  }
}

}  // namespace
