// The task document (the Pro data/video_tasks.json shape) and the OpenAI Video object.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/video/video_task.hpp"

namespace json = boost::json;
using namespace g2a::video;

namespace {

VideoTask completed_task() {
  VideoTask t;
  t.id = "video_0123456789abcdef01234567";
  t.model = "sora-2";
  t.status = "completed";
  t.progress = 100;
  t.created_at = 1790000000;
  t.created_ms = 1790000000123;
  t.completed_at = 1790000060;
  t.expires_at = 1790086400;
  t.prompt = "a cat";
  t.size = "1280x720";
  t.seconds = "6";
  t.video_url = "http://gw/videos/x.mp4";
  t.video_path = "x.mp4";
  t.sso_token = "sso-secret";
  t.asset_url = "users/u/generated/v/generated_video.mp4";
  t.attempts = 1;
  return t;
}

}  // namespace

TEST(VideoTask, DocumentRoundTrip) {
  VideoTask t = completed_task();
  t.remixed_from_video_id = "video_src";
  t.error_code = "";
  auto back = from_document(json::value(to_document(t)));
  ASSERT_TRUE(back);
  EXPECT_EQ(json::serialize(to_document(*back)), json::serialize(to_document(t)));
}

TEST(VideoTask, DocumentHasTheProFieldsWithNullForNone) {
  auto doc = to_document(completed_task());
  for (const char* key : {"id",
                          "model",
                          "status",
                          "progress",
                          "created_at",
                          "completed_at",
                          "expires_at",
                          "prompt",
                          "size",
                          "seconds",
                          "quality",
                          "error_code",
                          "error_message",
                          "remixed_from_video_id",
                          "video_url",
                          "video_path",
                          "thumbnail_url",
                          "input_reference",
                          "sso_token",
                          "user"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_TRUE(doc.at("error_code").is_null());
  EXPECT_TRUE(doc.at("remixed_from_video_id").is_null());
}

TEST(VideoTask, ReadsAProServiceTask) {
  auto doc = json::parse(R"({"id":"video_3f9a1c2b7d4e","model":"sora-2","status":"failed",
    "progress":30,"created_at":1738480000.5,"completed_at":null,"expires_at":1738566400,
    "prompt":"p","size":"720x1280","seconds":"4","quality":"standard",
    "error_code":"no_video_generated","error_message":"none","remixed_from_video_id":null,
    "video_url":null,"video_path":null,"thumbnail_url":null,"input_reference":null,
    "sso_token":"tok","user":null})");
  auto t = from_document(doc);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->id, "video_3f9a1c2b7d4e");
  EXPECT_EQ(t->status, "failed");
  EXPECT_EQ(t->created_at, 1738480000);
  EXPECT_EQ(t->created_ms, 1738480000000);
  EXPECT_FALSE(t->completed_at);
  EXPECT_EQ(t->error_code, "no_video_generated");
  EXPECT_EQ(t->sso_token, "tok");
}

TEST(VideoTask, UnreadableDocumentsAndUnknownStatuses) {
  EXPECT_FALSE(from_document(json::parse("[]")));
  EXPECT_FALSE(from_document(json::parse(R"({"id":7})")));
  auto t = from_document(json::parse(R"({"id":"video_x","status":"exploded","progress":900})"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, "failed");
  EXPECT_EQ(t->error_code, "unknown_status");
  EXPECT_EQ(t->progress, 100);
}

TEST(VideoTask, OpenAiObjectHasTheThirteenKeys) {
  VideoTask t = completed_task();
  t.status = "queued";
  t.progress = 0;
  t.completed_at.reset();
  auto o = to_openai(t);
  for (const char* key :
       {"id", "object", "model", "status", "progress", "created_at", "completed_at", "expires_at",
        "prompt", "size", "seconds", "remixed_from_video_id", "error"})
    EXPECT_TRUE(o.contains(key)) << key;
  EXPECT_EQ(o.at("object"), "video");
  EXPECT_TRUE(o.at("completed_at").is_null());
  EXPECT_TRUE(o.at("error").is_null());
  EXPECT_TRUE(o.at("seconds").is_string());
  EXPECT_EQ(o.at("quality"), "standard");
  EXPECT_FALSE(o.contains("video_url"));  // only once completed
  EXPECT_FALSE(o.contains("sso_token"));
}

TEST(VideoTask, OpenAiObjectOfCompletedAndFailedTasks) {
  auto done = to_openai(completed_task());
  EXPECT_EQ(done.at("video_url"), "http://gw/videos/x.mp4");
  EXPECT_EQ(done.at("completed_at"), 1790000060);
  VideoTask failed = completed_task();
  failed.status = "failed";
  failed.error_code = "interrupted";
  failed.error_message = "stopped";
  auto f = to_openai(failed);
  EXPECT_EQ(f.at("error").at("code"), "interrupted");
  EXPECT_EQ(f.at("error").at("message"), "stopped");
  EXPECT_FALSE(f.contains("video_url"));
}

TEST(VideoTask, IdsAreUniqueAndShaped) {
  auto a = new_task_id(), b = new_task_id();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("video_", 0), 0u);
  EXPECT_EQ(a.size(), 6u + 24u);
}
