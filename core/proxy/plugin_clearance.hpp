// A clearance-provider plugin (G2A_KIND_CLEARANCE, ABI 1.2) seen as ClearanceProvider.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "core/proxy/clearance_provider.hpp"

namespace g2a::plugin {
class Manager;
struct LoadedPlugin;
}  // namespace g2a::plugin

namespace g2a::proxy {

// The loaded plugin `id` as a clearance provider; nullptr (with a log line saying why) when
// id is "" (none configured), not loaded, or not a clearance provider.
std::unique_ptr<ClearanceProvider> plugin_clearance_provider(plugin::Manager& plugins,
                                                             const std::string& id);

class PluginClearance : public ClearanceProvider {
 public:
  // Without a timeout in the request, solve waits default_timeout for the plugin's done;
  // with one, that long plus a grace for the answer to travel back.
  explicit PluginClearance(plugin::LoadedPlugin& plugin,
                           std::chrono::milliseconds default_timeout = std::chrono::seconds(120));
  const std::string& id() const override;
  // Only Cloudflare's cookies of the answer are kept (cf_clearance, __cf_bm, _cfuvid,
  // cf_chl_*); an answer without a User-Agent keeps the request's. Throws
  // std::runtime_error with the plugin's message, or when it did not answer in time.
  boost::asio::awaitable<Clearance> solve(ClearanceRequest request) override;

 private:
  plugin::LoadedPlugin& plugin_;
  const void* table_;  // g2a_clearance_v1
  std::chrono::milliseconds default_timeout_;
  std::mutex serial_;  // calls into a plugin that is not thread-safe
};

}  // namespace g2a::proxy
