// The gateway's side of the x-statsig-id signer plugin: signs REST calls, prepares the
// signer when it is not ready, and shares one refresh among concurrent callers after
// grok.com answers "anti-bot rules" or "page is out of date".
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <grok2api/plugin.h>

namespace g2a::plugin {
struct LoadedPlugin;
}

namespace g2a::upstream::grok {

class SignerHost {
 public:
  SignerHost(plugin::LoadedPlugin& plugin, boost::asio::any_io_executor io);

  // A fresh value for one request (method and URL path, no query). Prepares the signer
  // first when needed. Throws UpstreamError (kAntiBot) when no value can be made.
  boost::asio::awaitable<std::string> sign(std::string method, std::string path);
  // Refreshes the signer's state; force drops what it has first. Callers arriving while
  // a refresh runs wait for that one. Throws UpstreamError when it fails.
  boost::asio::awaitable<void> refresh(bool force);

  // The plugin's status JSON, for /health.
  std::string status_json() const;
  const std::string& plugin_id() const;

  struct Pending;

 private:
  plugin::LoadedPlugin& plugin_;
  const g2a_signer_v1* table_;
  boost::asio::any_io_executor io_;
  std::mutex mutex_;
  std::shared_ptr<Pending> pending_;  // the refresh in progress
};

}  // namespace g2a::upstream::grok
