#include "sim_env.hpp"

#include <boost/json.hpp>

#include "core/admin/token_routes.hpp"

namespace g2a::tokens::test {
namespace asio = boost::asio;
namespace json = boost::json;

void SimTest::SetUp() {
  std::string why;
  sim_ = g2a::test::SimulatorProcess::start(&why);
  if (!sim_) GTEST_SKIP() << why;
  work_.emplace(io_.get_executor());
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  http_ = std::make_unique<upstream::HttpClient>(io_);

  plugin::ManagerOptions mo;
  mo.http = http_.get();
  mo.default_user_agent = kUserAgent;
  json::object defaults{{"upstream_url", sim_->grok()},
                        {"dynamic_statsig", true},
                        {"x_statsig_id", ""},
                        {"user_agent", kUserAgent}};
  mo.signer_defaults_json = json::serialize(defaults);
  env_ = std::make_unique<StoreEnv>(G2A_PLUGIN_DIR, dir_.path(), io_.get_executor(), blocking_,
                                    std::vector<std::string>{"signer-statsig"}, std::move(mo));
  signer_ = std::make_unique<upstream::grok::SignerHost>(*env_->plugins().find("signer-statsig"),
                                                         io_.get_executor());
  upstream::grok::Endpoints endpoints;
  endpoints.upstream = sim_->grok();
  endpoints.assets = sim_->assets();
  endpoints.accounts = sim_->accounts();
  client_ = std::make_unique<upstream::grok::GrokClient>(*http_, *signer_, endpoints);

  auto s = std::make_shared<config::Settings>();
  s->grok.user_agent = kUserAgent;
  s->grok.upstream_url = sim_->grok();
  s->grok.assets_url = sim_->assets();
  s->grok.accounts_url = sim_->accounts();
  ctx_.settings.store(s);
  ctx_.store = &env_->store();
  ctx_.blocking = &blocking_;
  ctx_.http = http_.get();
  ctx_.signer = signer_.get();
  ctx_.grok = client_.get();
  sessions_ = std::make_unique<admin::Sessions>(env_->store());
  ctx_.sessions = sessions_.get();

  pool_ = std::make_unique<TokenPool>(&env_->store());
  RefresherOptions ro;
  ro.min_interval = std::chrono::milliseconds(400);
  ro.pace_pause = std::chrono::milliseconds(1);
  refresher_ = std::make_unique<QuotaRefresher>(
      io_.get_executor(), *pool_, *client_,
      direct_egress([this] { return ctx_.current()->grok.user_agent; }),
      [this] { return ctx_.current(); }, ro);
}

void SimTest::TearDown() {
  if (!sim_) return;
  if (refresher_) {
    refresher_->stop();
    EXPECT_TRUE(eventually([&] { return refresher_->idle(); })) << "quota reads still running";
  }
  EXPECT_EQ(sim_->violations(), "[]") << "the simulator saw protocol violations";
  if (http_) asio::post(http_->driver().strand(), asio::use_future).get();
  refresher_.reset();
  client_.reset();
  signer_.reset();
  if (env_) env_->close();
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  server_.reset();
  pool_.reset();
  env_.reset();
  http_.reset();
}

void SimTest::account(const std::string& sso, const std::string& tier, const std::string& status) {
  sim_->control("accounts",
                json::serialize(json::object{{"sso", sso}, {"tier", tier}, {"status", status}}));
}

void SimTest::settings(const std::function<void(config::Settings&)>& edit) {
  auto s = std::make_shared<config::Settings>(*ctx_.current());
  edit(*s);
  ctx_.settings.store(s);
}

std::string SimTest::serve_admin_routes() {
  router_ = std::make_shared<http::Router>();
  admin::add_token_routes(*router_, ctx_, *pool_, client_.get());
  http::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  server_ = std::make_unique<http::Server>(io_, o, router_);
  auto port = server_->listen();
  server_->start();
  session_ = run(
      [this]() -> asio::awaitable<std::string> { co_return co_await sessions_->create("admin"); });
  return "http://127.0.0.1:" + std::to_string(port);
}

bool SimTest::eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

}  // namespace g2a::tokens::test
