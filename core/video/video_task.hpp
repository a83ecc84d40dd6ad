// One Video API task: what the client asked for, where it stands, and what it produced.
// Stored as one document of the "video_tasks" collection in the Pro service's VideoTask
// shape (data/video_tasks.json stays readable both ways), with our fields after its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/fwd.hpp>

namespace g2a::video {

inline constexpr std::string_view kQueued = "queued";
inline constexpr std::string_view kInProgress = "in_progress";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kFailed = "failed";

struct VideoTask {
  // The Pro VideoTask fields.
  std::string id;  // "video_" + 12 hex digits (Pro); ours are "video_" + 24 hex digits
  std::string model;
  std::string status = std::string(kQueued);
  int progress = 0;
  int64_t created_at = 0;  // s
  std::optional<int64_t> completed_at;
  std::optional<int64_t> expires_at;
  std::string prompt;
  std::string size;
  std::string seconds;  // as the client sees it ("6")
  std::string quality = "standard";
  std::string error_code, error_message;  // "" when none
  std::string remixed_from_video_id;      // "" when none
  std::string video_url;                  // public link once completed (global.base_url)
  std::string video_path;                 // the cached file's name, relative to the cache
  std::string thumbnail_url;              // public link of the thumbnail, when one was made
  std::string input_reference;            // how the reference came: a URL, "upload:<name>",
                                          // "remix:<id>", "" = none
  std::string sso_token;                  // the account that generated it
  std::string user;                       // the client's "user" field

  // Ours.
  std::string thumbnail_path;   // the cached thumbnail's name
  std::string asset_url;        // the upstream video asset (readable with sso_token)
  std::string thumbnail_asset;  // the upstream thumbnail asset
  std::string reference_path;   // the cached reference image's name ("" = none)
  std::string proxy_used;       // masked proxy of the generation
  std::string resolution;       // "480p" / "720p" as the adapter reported it
  std::string api_key_name;     // which API key created it
  int64_t created_ms = 0;       // created_at in ms: the list order within one second
  int64_t updated_at_ms = 0;    // last change
  int attempts = 0;             // submissions made (a resubmitted interrupted task: 2)

  bool terminal() const { return status == kCompleted || status == kFailed; }
};

// The stored document (Pro fields first).
boost::json::object to_document(const VideoTask& t);
// From a stored document (ours or the Pro service's); nullopt when it has no string "id".
// Unknown statuses read as failed; missing numbers as 0.
std::optional<VideoTask> from_document(const boost::json::value& doc);

// The OpenAI Video object: the 13 keys of the spec (null where there is no value), plus
// "quality" and, once completed, "video_url" (and "thumbnail_url" when there is one).
boost::json::object to_openai(const VideoTask& t);

// "video_" + 24 random hex digits.
std::string new_task_id();

}  // namespace g2a::video
