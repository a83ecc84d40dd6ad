// One generation of a video task: a pool account (one that can make this length, with the
// model's quota) and its egress, the reference image uploaded with that account, one
// video-adapter turn, then the video and its thumbnail downloaded into the cache with the
// same account (grok.com's assets are not public).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/video/video_models.hpp"
#include "core/video/video_task.hpp"

namespace g2a::app {
struct AppContext;
}
namespace g2a::calllog {
struct CallRecord;
}
namespace g2a::chat {
class TokenSource;
}

namespace g2a::video {

class VideoFiles;

struct GenerationInput {
  VideoTask task;  // a copy: id, prompt, size, seconds
  const VideoModel* model = nullptr;
  std::string reference_bytes, reference_mime;  // empty: text-to-video
  std::function<void(int progress)> on_progress;
  std::shared_ptr<std::atomic<bool>> abandoned;  // set: stop at the next event
};

struct GenerationResult {
  bool ok = false;
  std::string error_code, error_message;
  std::string video_path, thumbnail_path;  // in VideoFiles
  std::string asset_url, thumbnail_asset, resolution;
};

// Never throws for upstream trouble: the result says what failed. The call record gets the
// account, the egress and the upstream outcome.
boost::asio::awaitable<GenerationResult> run_generation(app::AppContext& ctx,
                                                        chat::TokenSource& tokens,
                                                        VideoFiles& files, GenerationInput in,
                                                        calllog::CallRecord& call);

// Downloads an asset of the account into files under name (streamed; at most max_bytes).
// Throws UpstreamError / TransportError.
boost::asio::awaitable<void> download_asset(app::AppContext& ctx, const std::string& sso,
                                            const std::string& url, VideoFiles& files,
                                            const std::string& name, uint64_t max_bytes);

}  // namespace g2a::video
