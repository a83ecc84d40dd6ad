// The video stream (spec §2.6) as events: progress when it changes, the result with its
// thumbnail and resolution, upstream errors, moderation, and an end without a video.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <sstream>

#include "video_fixtures.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

class VideoGrokImagineStream : public ::testing::Test {
 protected:
  // A turn of sora-2 (480p) by default.
  std::unique_ptr<AdapterTurn> turn(const json::object& extra = {}) {
    auto t = client.begin(video_request(extra));
    EXPECT_TRUE(t);
    return t;
  }

  TestHost host;
  AdapterClient client{host};
};

TEST_F(VideoGrokImagineStream, TheSpecStreamGivesProgressThenTheVideo) {
  auto t = turn();
  auto log = play(*t, spec_video_body());
  EXPECT_EQ(log.summary(),
            (std::vector<std::string>{
                R"(progress:{"progress":1})", R"(progress:{"progress":95})",
                R"(progress:{"progress":100})",
                R"(video:{"url":"users/user_1/generated/video_1/generated_video.mp4",)"
                R"("thumbnail_url":"users/user_1/generated/video_1/preview_image.jpg",)"
                R"("resolution":"720p"})",
                R"(done:{"finish_reason":"stop"})"}));
}

TEST_F(VideoGrokImagineStream, TheResultLineClosesTheUpstream) {
  auto t = turn();
  std::string body = spec_video_body();
  size_t result = body.find("\"progress\":100");
  size_t end_of_result = body.find('\n', result) + 1;
  auto before = t->feed(body.substr(0, result));
  EXPECT_FALSE(closes(before));
  auto actions = t->feed(body.substr(result, end_of_result - result));
  EXPECT_TRUE(closes(actions));
  EXPECT_EQ(events_of(actions).back().at("type"), "done");
  // What comes after the result, and the end, add nothing.
  EXPECT_TRUE(events_of(t->feed(body.substr(end_of_result))).empty());
  auto last = t->finish();
  EXPECT_TRUE(events_of(last).empty());
  EXPECT_TRUE(closes(last));
}

TEST_F(VideoGrokImagineStream, SseDataLinesReadLikeBareLines) {
  std::string sse;
  std::string body = spec_video_body();
  for (size_t from = 0; from < body.size();) {
    size_t nl = body.find('\n', from);
    sse += "data: " + body.substr(from, nl - from) + "\r\n\r\n";
    from = nl + 1;
  }
  sse += "data: [DONE]\n\n";
  auto bare = turn();
  auto framed = turn();
  EXPECT_EQ(play(*framed, sse).summary(), play(*bare, body).summary());
}

TEST_F(VideoGrokImagineStream, ProgressIsReportedOnlyWhenItChanges) {
  auto t = turn();
  std::string line =
      R"({"result":{"response":{"streamingVideoGenerationResponse":{"progress":45}}}})"
      "\n";
  EXPECT_EQ(events_of(t->feed(line)).size(), 1u);
  EXPECT_TRUE(events_of(t->feed(line + line)).empty());
  auto more = events_of(
      t->feed(R"({"result":{"response":{"streamingVideoGenerationResponse":{"progress":250.4}}}})"
              "\n"));
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].at("progress"), 100) << "clamped to 0..100";
}

TEST_F(VideoGrokImagineStream, ModerationIsTheErrorModerated) {
  auto t = turn();
  auto log = play(*t, moderated_video_body());
  auto errors = log.of("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("code"), "moderated");
  EXPECT_EQ(errors[0].at("origin"), "upstream");
  EXPECT_TRUE(log.of("video").empty());
  EXPECT_TRUE(log.of("done").empty());
  EXPECT_EQ(log.of("progress").size(), 3u);
}

TEST_F(VideoGrokImagineStream, AnEndWithoutAVideoIsNoVideoGenerated) {
  std::string body;
  std::istringstream in(spec_video_body());
  for (std::string line; std::getline(in, line);)
    if (line.find("\"progress\":100") == std::string::npos) body += line + "\n";
  auto t = turn();
  auto log = play(*t, body);
  auto errors = log.of("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("code"), "no_video_generated");
  EXPECT_EQ(log.all().back().at("type"), "error");
}

TEST_F(VideoGrokImagineStream, UpstreamErrorsKeepTheirCodeAndMessage) {
  struct Case {
    const char* line;
    const char* code;
    const char* message;
  };
  for (
      Case c :
      {Case{R"({"error":{"code":7,"message":"Request rejected by anti-bot rules.","details":[]}})",
            "7", "Request rejected by anti-bot rules."},
       Case{
           R"({"result":{"response":{"error":{"message":"You've reached your usage limit. Please try again later."}}}})",
           "upstream_error", "You've reached your usage limit. Please try again later."},
       Case{R"({"result":{"response":{"error":{"code":"rate_limit","message":"slow down"}}}})",
            "rate_limit", "slow down"},
       Case{R"({"error":"overloaded"})", "upstream_error", "overloaded"}}) {
    auto t = turn();
    auto log = play(*t, std::string(c.line) + "\n");
    auto errors = log.of("error");
    ASSERT_EQ(errors.size(), 1u) << c.line;
    EXPECT_EQ(errors[0].at("code"), c.code) << c.line;
    EXPECT_EQ(errors[0].at("message"), c.message) << c.line;
    EXPECT_EQ(errors[0].at("origin"), "upstream");
  }
  // "error": null on a line is no error.
  auto t = turn();
  auto log = play(
      *t,
      R"({"error":null,"result":{"response":{"error":null,"streamingVideoGenerationResponse":{"progress":100,"videoUrl":"v.mp4"}}}})");
  EXPECT_EQ(log.of("video").size(), 1u);
}

TEST_F(VideoGrokImagineStream, TheUrlMayComeUnderOtherNames) {
  for (const char* key : {"contentUrl", "assetUrl", "fileUri"}) {
    auto t = turn();
    std::string line =
        std::string(
            R"({"result":{"response":{"streamingVideoGenerationResponse":{"progress":100,")") +
        key + R"(":"users/u/v/content"}}}})";
    auto videos = play(*t, line).of("video");
    ASSERT_EQ(videos.size(), 1u) << key;
    EXPECT_EQ(videos[0].at("url"), "users/u/v/content");
    EXPECT_EQ(videos[0].at("thumbnail_url"), "");
    EXPECT_EQ(videos[0].at("resolution"), "480p") << "the model's, when the stream names none";
  }
  // modelResponse.fileAttachments also lists the reference image: only a video counts.
  auto t = turn();
  auto videos =
      play(
          *t,
          R"({"result":{"response":{"modelResponse":{"message":"done","fileAttachments":["file-1",{"fileUri":"users/u/img.jpg"},"users/u/gen/generated_video.mp4"]}}}})")
          .of("video");
  ASSERT_EQ(videos.size(), 1u);
  EXPECT_EQ(videos[0].at("url"), "users/u/gen/generated_video.mp4");
}

TEST_F(VideoGrokImagineStream, BrokenInputEndsTheTurnWithAnAdapterError) {
  auto t = turn();
  auto log = play(*t, "<html>502 Bad Gateway</html>\n");
  ASSERT_EQ(log.of("error").size(), 1u);
  EXPECT_EQ(log.of("error")[0].at("code"), "bad_upstream_line");
  EXPECT_EQ(log.of("error")[0].at("origin"), "adapter");

  auto big = turn();
  std::string line = R"({"result":{"response":{"token":")" + std::string(2u << 20, 'x');
  auto actions = big->feed(line);
  auto events = events_of(actions);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("code"), "upstream_line_too_long");
  EXPECT_TRUE(closes(actions));
}

}  // namespace
}  // namespace g2a::test
