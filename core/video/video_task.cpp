#include "core/video/video_task.hpp"

#include <boost/json.hpp>

#include <openssl/rand.h>

#include <stdexcept>

namespace g2a::video {
namespace json = boost::json;

namespace {

json::value text_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::string(s);
}

std::string text(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return {};
}

std::optional<int64_t> number(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(v->as_uint64());
  // Python wrote time.time() floats in places; keep whole seconds, refuse the absurd.
  if (v->is_double() && v->as_double() > -9e15 && v->as_double() < 9e15)
    return static_cast<int64_t>(v->as_double());
  return std::nullopt;
}

// The fields the stored document and the Video object share.
void put_shared(json::object& o, const VideoTask& t) {
  o["id"] = t.id;
  o["model"] = t.model;
  o["status"] = t.status;
  o["progress"] = t.progress;
  o["created_at"] = t.created_at;
  o["completed_at"] = t.completed_at ? json::value(*t.completed_at) : json::value(nullptr);
  o["expires_at"] = t.expires_at ? json::value(*t.expires_at) : json::value(nullptr);
  o["prompt"] = t.prompt;
  o["size"] = t.size;
  o["seconds"] = t.seconds;
}

}  // namespace

json::object to_document(const VideoTask& t) {
  json::object o;
  put_shared(o, t);
  o["quality"] = t.quality;
  o["error_code"] = text_or_null(t.error_code);
  o["error_message"] = text_or_null(t.error_message);
  o["remixed_from_video_id"] = text_or_null(t.remixed_from_video_id);
  o["video_url"] = text_or_null(t.video_url);
  o["video_path"] = text_or_null(t.video_path);
  o["thumbnail_url"] = text_or_null(t.thumbnail_url);
  o["input_reference"] = text_or_null(t.input_reference);
  o["sso_token"] = text_or_null(t.sso_token);
  o["user"] = text_or_null(t.user);
  o["thumbnail_path"] = t.thumbnail_path;
  o["asset_url"] = t.asset_url;
  o["thumbnail_asset"] = t.thumbnail_asset;
  o["reference_path"] = t.reference_path;
  o["proxy_used"] = t.proxy_used;
  o["resolution"] = t.resolution;
  o["api_key_name"] = t.api_key_name;
  o["created_ms"] = t.created_ms;
  o["updated_at_ms"] = t.updated_at_ms;
  o["attempts"] = t.attempts;
  return o;
}

std::optional<VideoTask> from_document(const json::value& doc) {
  if (!doc.is_object()) return std::nullopt;
  const auto& o = doc.as_object();
  auto* id = o.if_contains("id");
  if (!id || !id->is_string() || id->as_string().empty()) return std::nullopt;
  VideoTask t;
  t.id = std::string(id->as_string());
  t.model = text(o, "model");
  t.status = text(o, "status");
  if (t.status != kQueued && t.status != kInProgress && t.status != kCompleted &&
      t.status != kFailed) {
    if (t.error_code.empty()) t.error_code = "unknown_status";
    t.status = std::string(kFailed);
  }
  t.progress = static_cast<int>(std::clamp<int64_t>(number(o, "progress").value_or(0), 0, 100));
  t.created_at = number(o, "created_at").value_or(0);
  t.completed_at = number(o, "completed_at");
  t.expires_at = number(o, "expires_at");
  t.prompt = text(o, "prompt");
  t.size = text(o, "size");
  t.seconds = text(o, "seconds");
  if (auto q = text(o, "quality"); !q.empty()) t.quality = q;
  if (auto c = text(o, "error_code"); !c.empty()) t.error_code = c;
  t.error_message = text(o, "error_message");
  t.remixed_from_video_id = text(o, "remixed_from_video_id");
  t.video_url = text(o, "video_url");
  t.video_path = text(o, "video_path");
  t.thumbnail_url = text(o, "thumbnail_url");
  t.input_reference = text(o, "input_reference");
  t.sso_token = text(o, "sso_token");
  t.user = text(o, "user");
  t.thumbnail_path = text(o, "thumbnail_path");
  t.asset_url = text(o, "asset_url");
  t.thumbnail_asset = text(o, "thumbnail_asset");
  t.reference_path = text(o, "reference_path");
  t.proxy_used = text(o, "proxy_used");
  t.resolution = text(o, "resolution");
  t.api_key_name = text(o, "api_key_name");
  t.created_ms = number(o, "created_ms").value_or(t.created_at * 1000);
  t.updated_at_ms = number(o, "updated_at_ms").value_or(t.created_at * 1000);
  t.attempts = static_cast<int>(std::clamp<int64_t>(number(o, "attempts").value_or(0), 0, 1000));
  return t;
}

json::object to_openai(const VideoTask& t) {
  json::object o;
  put_shared(o, t);
  o["object"] = "video";
  o["remixed_from_video_id"] = text_or_null(t.remixed_from_video_id);
  if (t.status == kFailed || !t.error_code.empty())
    o["error"] = json::object{{"code", t.error_code.empty() ? "generation_error" : t.error_code},
                              {"message", t.error_message}};
  else
    o["error"] = nullptr;
  o["quality"] = t.quality;
  if (t.status == kCompleted) {
    o["video_url"] = text_or_null(t.video_url);
    if (!t.thumbnail_url.empty()) o["thumbnail_url"] = t.thumbnail_url;
  }
  return o;
}

std::string new_task_id() {
  // A task id is what a public /videos/<id>.mp4 link rests on: 96 bits from the system's
  // CSPRNG, not from a seeded generator whose seed could be searched.
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for an id");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "video_";
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

}  // namespace g2a::video
