// Several gateway instances on one store (mysql, redis): every storage.sync_interval this
// instance checks the store is reachable and takes what the others changed - saved
// settings, tokens (with their quota and failure state), video tasks.
#pragma once

#include <functional>
#include <string>

namespace g2a::storage {
class Store;
}
namespace g2a::tokens {
class TokenPool;
}
namespace g2a::video {
class VideoService;
}

namespace g2a::app {

class SharedSync {
 public:
  // reload_settings re-reads the saved settings from the store and applies them, returning
  // whether the running settings changed; it is called when the saved settings differ from
  // what this instance last applied.
  SharedSync(storage::Store& store, tokens::TokenPool& tokens, video::VideoService& videos,
             std::function<bool()> reload_settings, std::string applied_settings);

  // One round; blocking (run it on the blocking pool). Failures are logged, never thrown.
  void run_blocking();

 private:
  storage::Store& store_;
  tokens::TokenPool& tokens_;
  video::VideoService& videos_;
  std::function<bool()> reload_settings_;
  std::string applied_settings_;  // the saved-settings JSON last applied here
  bool was_down_ = false;
};

}  // namespace g2a::app
