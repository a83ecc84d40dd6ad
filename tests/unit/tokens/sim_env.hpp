// The token pool against the grok.com simulator: the real signer plugin, the upstream
// client, a Store over storage-file, the pool, its refresher, and (on demand) the admin
// routes served in-process.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "core/admin/sessions.hpp"
#include "core/app/context.hpp"
#include "core/http/server.hpp"
#include "core/tokens/quota_refresher.hpp"
#include "core/tokens/token_pool.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/signer_host.hpp"
#include "core/upstream/http_client.hpp"
#include "simulator_process.hpp"
#include "store_env.hpp"
#include "support/temp_dir.hpp"

namespace g2a::tokens::test {

class SimTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Registers an account in the simulator.
  void account(const std::string& sso, const std::string& tier,
               const std::string& status = "active");
  // Replaces settings (refresh scope, thresholds).
  void settings(const std::function<void(config::Settings&)>& edit);
  // Serves the admin routes; returns the base URL. session() is a valid admin token.
  std::string serve_admin_routes();
  const std::string& session() const { return session_; }
  // Waits until pred holds (the refresher works in the background).
  bool eventually(const std::function<bool()>& pred,
                  std::chrono::milliseconds limit = std::chrono::seconds(10));

  template <class F>
  auto run(F f) {
    return boost::asio::co_spawn(io_, f(), boost::asio::use_future).get();
  }

  static constexpr const char* kUserAgent =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/146.0.0.0 Safari/537.36";

  std::unique_ptr<g2a::test::SimulatorProcess> sim_;
  g2a::test::TempDir dir_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  runtime::BlockingPool blocking_{2};
  std::unique_ptr<upstream::HttpClient> http_;
  std::unique_ptr<StoreEnv> env_;
  std::unique_ptr<upstream::grok::SignerHost> signer_;
  std::unique_ptr<upstream::grok::GrokClient> client_;
  std::unique_ptr<admin::Sessions> sessions_;
  app::AppContext ctx_;
  std::unique_ptr<TokenPool> pool_;
  std::unique_ptr<QuotaRefresher> refresher_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
  std::string session_;
};

}  // namespace g2a::tokens::test
