#include "core/app/shared_sync.hpp"

#include <boost/json.hpp>

#include <exception>
#include <mutex>

#include "core/app/saved_settings.hpp"
#include "core/ops/logging.hpp"
#include "core/storage/store.hpp"
#include "core/tokens/token_pool.hpp"
#include "core/video/video_service.hpp"

namespace g2a::app {

SharedSync::SharedSync(storage::Store& store, tokens::TokenPool& tokens,
                       video::VideoService& videos, std::function<bool()> reload_settings,
                       std::string applied_settings)
    : store_(store),
      tokens_(tokens),
      videos_(videos),
      reload_settings_(std::move(reload_settings)),
      applied_settings_(std::move(applied_settings)) {}

void SharedSync::run_blocking() {
  auto log = ops::logger("Storage");
  if (!store_.ping()) {
    if (!was_down_) log->error("{} is unreachable: {}", store_.describe(), store_.health().error);
    was_down_ = true;
    return;  // memory keeps serving; writes wait in their queues
  }
  if (was_down_) log->info("{} is reachable again", store_.describe());
  was_down_ = false;
  // Each part on its own: one failing does not hold back the others.
  try {
    std::string saved = saved_settings(store_);
    if (saved != applied_settings_) {
      applied_settings_ = saved;
      // Saved here too, through this instance's admin API: then nothing changes.
      if (reload_settings_()) log->info("applied the settings another instance saved");
    }
  } catch (const std::exception& e) {
    log->warn("re-reading the saved settings failed: {}", e.what());
  }
  try {
    tokens_.sync();
  } catch (const std::exception& e) {
    log->warn("re-reading the tokens failed: {}", e.what());
  }
  try {
    videos_.sync_blocking();
  } catch (const std::exception& e) {
    log->warn("re-reading the video tasks failed: {}", e.what());
  }
}

}  // namespace g2a::app
