#include "core/app/application.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <thread>

#include "core/admin/api_keys.hpp"
#include "core/admin/log_routes.hpp"
#include "core/admin/login_throttle.hpp"
#include "core/admin/plugin_routes.hpp"
#include "core/admin/proxy_routes.hpp"
#include "core/admin/routes.hpp"
#include "core/admin/sessions.hpp"
#include "core/admin/sink_routes.hpp"
#include "core/admin/token_routes.hpp"
#include "core/app/backup_command.hpp"
#include "core/app/context.hpp"
#include "core/app/ops_routes.hpp"
#include "core/app/saved_settings.hpp"
#include "core/app/shared_sync.hpp"
#include "core/app/version.hpp"
#include "core/calllog/event_feed.hpp"
#include "core/calllog/recorder.hpp"
#include "core/calllog/sink_drain.hpp"
#include "core/calllog/sink_feed.hpp"
#include "core/chat/adapter_host.hpp"
#include "core/chat/pool_token_source.hpp"
#include "core/chat/token_source.hpp"
#include "core/console/console_routes.hpp"
#include "core/http/server.hpp"
#include "core/media/image_cache.hpp"
#include "core/openai/images_routes.hpp"
#include "core/openai/mcp_routes.hpp"
#include "core/openai/model_table.hpp"
#include "core/openai/routes.hpp"
#include "core/openai/settings_egress.hpp"
#include "core/openai/video_routes.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/metrics.hpp"
#include "core/plugin/http_client.hpp"
#include "core/plugin/manager.hpp"
#include "core/proxy/egress_service.hpp"
#include "core/proxy/health_check.hpp"
#include "core/proxy/plugin_clearance.hpp"
#include "core/proxy/plugin_proxy_source.hpp"
#include "core/proxy/proxy_pool.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/runtime/periodic_job.hpp"
#include "core/storage/data_dir_import.hpp"
#include "core/storage/directory_store.hpp"
#include "core/storage/store.hpp"
#include "core/tokens/quota_reader.hpp"
#include "core/tokens/quota_refresher.hpp"
#include "core/tokens/status_event.hpp"
#include "core/tokens/token_pool.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/signer_host.hpp"
#include "core/upstream/http_client.hpp"
#include "core/video/video_files.hpp"
#include "core/video/video_models.hpp"
#include "core/video/video_service.hpp"

namespace g2a::app {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

config::Loaded load_settings(const config::Sources& sources, const CommandLine& cl) {
  config::Loaded loaded = config::load(sources);
  // The command line wins over everything for where to listen.
  if (cl.host) loaded.settings.server.host = *cl.host;
  if (cl.port) loaded.settings.server.port = *cl.port;
  return loaded;
}

ops::LogOptions log_options(const config::Settings& s) {
  ops::LogOptions o;
  o.level = s.global.log_level;
  o.file = s.server.log_file;
  o.file_max_bytes = static_cast<size_t>(s.server.log_file_max_mb) << 20;
  o.file_count = static_cast<size_t>(s.server.log_file_count);
  return o;
}

std::string logs_dir(const config::Settings& s) {
  if (s.server.log_file.empty()) return fs::absolute("logs").string();
  return fs::absolute(fs::path(s.server.log_file).parent_path()).string();
}

// Waits in 5 ms steps, for 5 s at most, while busy() holds: at shutdown, for work that
// ends on the loop itself (coroutines unwinding, cancelled calls finishing).
asio::awaitable<void> settle_while(asio::io_context& io, std::function<bool()> busy) {
  asio::steady_timer step(io);
  for (int i = 0; i < 1000 && busy(); ++i) {
    step.expires_after(std::chrono::milliseconds(5));
    co_await step.async_wait(asio::use_awaitable);
  }
}

}  // namespace

int run(const CommandLine& cl) {
  AppContext ctx;
  ctx.data_dir = fs::absolute(cl.data_dir).lexically_normal().string();
  ctx.sources.file =
      cl.config_file ? fs::path(*cl.config_file) : fs::path(cl.data_dir) / "setting.toml";
  ctx.sources.env = config::current_environment();

  config::Loaded loaded;
  std::optional<openai::ModelTable> models;
  try {
    loaded = load_settings(ctx.sources, cl);
    models = openai::ModelTable::with_settings(loaded.settings.models);
  } catch (const config::ConfigError& e) {
    std::cerr << "grok2api: configuration error in " << ctx.sources.file.string() << ": "
              << e.what() << "\n";
    return 2;
  }
  if (cl.check_config) {
    for (const auto& w : loaded.warnings) std::cout << "warning: " << w << "\n";
    std::cout << "configuration OK ("
              << (loaded.file_found ? ctx.sources.file.string()
                                    : "no " + ctx.sources.file.string() + ": built-in defaults")
              << ")\n";
    return 0;
  }

  const auto& s0 = loaded.settings;
  if (!s0.server.log_file.empty()) {
    std::error_code ec;
    fs::create_directories(fs::path(s0.server.log_file).parent_path(), ec);
  }
  ops::configure_logging(log_options(s0));
  auto log = ops::logger("Main");
  log->info("grok2api {} starting (pid {})", kVersion, ::getpid());
  auto cfg_log = ops::logger("Settings");
  if (loaded.file_found)
    cfg_log->info("loaded {}", ctx.sources.file.string());
  else
    cfg_log->info("no settings file at {}: using built-in defaults", ctx.sources.file.string());
  for (const auto& w : loaded.warnings) cfg_log->warn("{}", w);
  for (const auto& k : loaded.pinned) cfg_log->info("{} is set by the environment", k);

  std::error_code ec;
  fs::create_directories(ctx.data_dir, ec);
  if (ec) {
    log->critical("cannot create data directory {}: {}", ctx.data_dir, ec.message());
    return 1;
  }

  int workers = static_cast<int>(s0.server.workers);
  if (workers <= 0) workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  asio::io_context io(workers);
  runtime::BlockingPool blocking(
      static_cast<size_t>(std::max<int64_t>(1, s0.server.blocking_threads)));
  ctx.blocking = &blocking;
  ops::Metrics::global().gauge("g2a_blocking_queue_depth", "Calls waiting on the blocking pool", "",
                               [&blocking] { return static_cast<double>(blocking.queued()); });
  ops::Metrics::global()
      .counter("g2a_build_info", "Version of this build",
               std::string("version=\"") + kVersion + "\"")
      .add(0);

  upstream::HttpClient http(io);
  ctx.http = &http;

  plugin::ManagerOptions mo;
  mo.directory = s0.plugins.directory.empty() ? plugin::Manager::default_directory()
                                              : fs::absolute(s0.plugins.directory).string();
  mo.settings = s0.plugins;
  mo.must_have = {"storage-" + s0.storage.mode};
  mo.storage_id = "storage-" + s0.storage.mode;
  // The database plugins read storage.database_url as their "database_url" and size their
  // connection pool to the blocking pool that calls them.
  for (const char* id : {"storage-mysql", "storage-redis"})
    mo.config_defaults[id] = [url = s0.storage.database_url,
                              threads = std::max<int64_t>(1, s0.server.blocking_threads)] {
      boost::json::object d;
      d["database_url"] = url;
      d["pool_size"] = threads;
      return boost::json::serialize(d);
    };
  mo.paths = {ctx.data_dir, (fs::path(ctx.data_dir) / "cache").string(), logs_dir(s0)};
  mo.io = io.get_executor();
  mo.blocking = &blocking;
  mo.http = &http;
  mo.default_user_agent = s0.grok.user_agent;
  {
    boost::json::object d;
    d["upstream_url"] = s0.grok.upstream_url;
    d["dynamic_statsig"] = s0.grok.dynamic_statsig;
    d["x_statsig_id"] = s0.grok.x_statsig_id;
    d["user_agent"] = s0.grok.user_agent;
    mo.signer_defaults_json = boost::json::serialize(d);
  }
  // The bundled proxy-source-api reads grok.proxy_pool_url as its "url", live (the admin
  // API may change it, and saved settings apply after the plugins load).
  mo.config_defaults["proxy-source-api"] = [&ctx, start_url = s0.grok.proxy_pool_url] {
    auto current = ctx.current();
    return proxy::proxy_source_api_defaults(current ? current->grok.proxy_pool_url : start_url);
  };
  // --export/--import need the store only; the start-up import and they open data
  // directories with storage-file through a manager of their own.
  if (is_backup_command(cl)) mo.settings.enabled = {mo.storage_id};
  const storage::DirectoryStoreOptions data_files{mo.directory, s0.plugins, logs_dir(s0),
                                                  io.get_executor(), &blocking};
  plugin::Manager plugins(std::move(mo));
  ctx.plugins = &plugins;
  try {
    plugins.load_all();
  } catch (const plugin::FatalPluginError& e) {
    log->critical("start-up stopped: {}", e.what());
    ops::flush_logs();
    return 1;
  }

  std::unique_ptr<storage::Store> store;
  try {
    store = std::make_unique<storage::Store>(*plugins.find("storage-" + s0.storage.mode), blocking);
    ctx.store = store.get();
    ops::logger("Storage")->info("mode {} on {}", s0.storage.mode, store->describe());
    if (is_backup_command(cl)) return run_backup_command(cl, *store, ctx.data_dir, data_files);
    storage::import_data_dir_once(*store, ctx.data_dir, data_files);
    ctx.sources.saved_json = saved_settings(*store);
    if (!ctx.sources.saved_json.empty()) {
      try {
        loaded = load_settings(ctx.sources, cl);
        cfg_log->info("applied settings saved through the admin API");
      } catch (const config::ConfigError& e) {
        cfg_log->error("ignoring saved settings: {}", e.what());
        ctx.sources.saved_json.clear();
      }
    }
  } catch (const std::exception& e) {
    log->critical("start-up stopped: storage: {}", e.what());
    ops::flush_logs();
    return 1;
  }
  ctx.pinned = loaded.pinned;
  ctx.file_found = loaded.file_found;
  ctx.settings.store(std::make_shared<const config::Settings>(loaded.settings));
  const auto settings = ctx.current();
  ops::set_log_level(settings->global.log_level);

  // The grok.com side: the signer plugin and the client every upstream call goes through.
  std::unique_ptr<upstream::grok::SignerHost> signer;
  std::unique_ptr<upstream::grok::GrokClient> grok;
  auto signer_log = ops::logger("Signer");
  if (auto* sp = plugins.find(settings->grok.signer)) {
    try {
      signer = std::make_unique<upstream::grok::SignerHost>(*sp, io.get_executor());
      upstream::grok::Endpoints ep;
      ep.upstream = settings->grok.upstream_url;
      ep.assets = settings->grok.assets_url;
      ep.accounts = settings->grok.accounts_url;
      grok = std::make_unique<upstream::grok::GrokClient>(http, *signer, ep);
      ctx.signer = signer.get();
      ctx.grok = grok.get();
      signer_log->info("using {} for x-statsig-id; upstream {}", sp->id, ep.upstream);
      asio::co_spawn(
          io,
          [&signer_log, s = signer.get()]() -> asio::awaitable<void> {
            try {
              co_await s->refresh(false);
              signer_log->info("ready: {}", s->status_json());
            } catch (const std::exception& e) {
              signer_log->warn("not ready yet ({}); it retries on the first request", e.what());
            }
          },
          asio::detached);
    } catch (const std::exception& e) {
      signer_log->error("{}: {}", sp->id, e.what());
    }
  } else {
    signer_log->error("signer plugin '{}' is not loaded: grok.com REST calls cannot be signed",
                      settings->grok.signer);
  }

  // The proxy pool: the egress (proxy, or direct) of every upstream call made for an SSO.
  proxy::PoolOptions po;
  po.settings = [&ctx] { return ctx.current(); };
  po.store = store.get();
  // The event feed comes with the call log, below; no call is made before it is set.
  po.emit = [&ctx](calllog::StateEvent e) {
    if (ctx.events) ctx.events->emit(std::move(e));
  };
  po.io = io.get_executor();
  // Proxy-source plugins (proxy-source-api reads grok.proxy_pool_url) and the clearance
  // provider named by grok.clearance_provider ("" = none).
  po.sources = proxy::plugin_proxy_sources(plugins);
  po.clearance = proxy::plugin_clearance_provider(plugins, settings->grok.clearance_provider);
  proxy::ProxyPool proxies(std::move(po));
  try {
    proxies.load();
  } catch (const std::exception& e) {
    log->critical("start-up stopped: proxies: {}", e.what());
    ops::flush_logs();
    return 1;
  }
  ctx.egress = &proxies;
  proxies.start();
  proxy::HealthChecker proxy_health(io.get_executor(), proxies, http,
                                    [&ctx] { return ctx.current(); });
  proxy_health.start();

  // The SSO token pool, its quota reads, and the pool seen by chat.
  tokens::TokenPool pool(store.get());
  try {
    size_t loaded = pool.load();
    ops::logger("TokenPool")->info("{} token(s) loaded", loaded);
  } catch (const std::exception& e) {
    log->critical("start-up stopped: tokens: {}", e.what());
    ops::flush_logs();
    return 1;
  }
  // Background calls for an account (quota reads, token tests, account preparation) leave
  // through the proxy the pool binds to it, like its requests.
  tokens::EgressFor egress_for = [&ctx](const std::string& sso) {
    if (!ctx.egress) return openai::settings_egress(*ctx.current());
    if (auto e = ctx.egress->pick(sso, {})) return *e;
    throw upstream::TransportError(upstream::TransportError::Kind::kProxy, 0,
                                   "no healthy proxy, no static proxy, and direct connections "
                                   "are not allowed (grok.allow_direct)");
  };
  // grok.cache_proxy_url, when set, carries every asset download instead of the SSO's proxy.
  if (grok)
    grok->set_asset_egress([&ctx](const std::string& sso) -> std::optional<upstream::grok::Egress> {
      if (!ctx.egress || ctx.current()->grok.cache_proxy_url.empty()) return std::nullopt;
      return ctx.egress->for_assets(sso);
    });
  std::unique_ptr<tokens::QuotaRefresher> refresher;
  if (grok) {
    refresher = std::make_unique<tokens::QuotaRefresher>(io.get_executor(), pool, *grok, egress_for,
                                                         [&ctx] { return ctx.current(); });
    refresher->start();
  }
  chat::PoolTokenSource pool_source(pool);
  chat::TokenSource* token_source = &pool_source;

  // Call logs: records queue in memory and reach storage with their own flush (below).
  calllog::Recorder call_log(
      *store, [&ctx] { return ctx.current()->global.log_max_count; },
      [&ctx] { return ctx.current()->global.log_batch_size; });
  call_log.set_queue_max([&ctx] { return ctx.current()->global.log_queue_max; });
  ctx.call_log = &call_log;
  for (const auto& p : plugins.plugins())
    if (auto* sink = static_cast<const g2a_log_sink_v1*>(p->table(G2A_KIND_LOG_SINK))) {
      call_log.add_sink(std::make_unique<calllog::SinkFeed>(
          p->id, sink, p->instance, static_cast<size_t>(settings->global.log_sink_queue_max)));
      ops::logger("CallLog")->info("call-log records go to log sink {}", p->id);
    }
  // State events (token disabled, expired, recovered; proxies and videos later) go to the
  // same sinks, not to storage.
  calllog::EventFeed events(call_log.sinks());
  ctx.events = &events;
  pool.set_status_listener(
      [&events](const tokens::StatusChange& c) { events.emit(tokens::to_state_event(c)); });

  admin::Sessions sessions(*store);
  ctx.sessions = &sessions;
  admin::ApiKeys api_keys;
  ctx.api_keys = &api_keys;
  admin::LoginThrottle login_throttle;
  ctx.login_throttle = &login_throttle;
  if (settings->global.admin_password == "admin")
    ops::logger("Admin")->warn(
        "global.admin_password is the default 'admin': the admin API answers loopback clients "
        "only until it is changed");
  if (settings->grok.api_key.empty() && settings->global.api_keys.empty())
    ops::logger("Admin")->warn(
        "no API key is set (grok.api_key, [[global.api_keys]]): /v1 answers every client");
  else
    ops::logger("Admin")->info("{} API key(s) guard /v1",
                               admin::ApiKeys::from_settings(*settings).size());

  // The OpenAI side: the model table, the chat adapter plugin and the token pool.
  std::unique_ptr<chat::AdapterHost> chat_adapter;
  if (auto* ap = plugins.find(settings->grok.chat_adapter)) {
    try {
      chat_adapter = std::make_unique<chat::AdapterHost>(*ap);
      ops::logger("Chat")->info("using {} ({} transport)", ap->id, settings->grok.chat_transport);
    } catch (const std::exception& e) {
      ops::logger("Chat")->error("{}: {}", ap->id, e.what());
    }
  } else {
    ops::logger("Chat")->error("chat adapter plugin '{}' is not loaded: chat answers 503",
                               settings->grok.chat_adapter);
  }
  // Video models come from every model-adapter plugin that lists some (plugin.h, "Video").
  std::vector<std::unique_ptr<chat::AdapterHost>> video_adapters;
  video::VideoModels video_models;
  for (const auto& p : plugins.plugins()) {
    if (!p->table(G2A_KIND_MODEL_ADAPTER)) continue;
    try {
      auto host = std::make_unique<chat::AdapterHost>(*p);
      size_t before = video_models.all().size();
      video_models.add_adapter(*host);
      if (video_models.all().size() == before) continue;
      for (size_t i = before; i < video_models.all().size(); ++i) {
        const auto& m = video_models.all()[i];
        ops::logger("Video")->info("video model {} from {}", m.id, p->id);
        if (!models->find(m.id))
          models->put(
              {m.id, openai::ModelKind::kVideo, p->id,
               m.tiers.empty() ? std::vector<std::string>{"basic", "super", "heavy"} : m.tiers,
               true, m.description});
      }
      video_adapters.push_back(std::move(host));
    } catch (const std::exception& e) {
      ops::logger("Video")->error("{}: {}", p->id, e.what());
    }
  }
  video::VideoFiles video_files((fs::path(ctx.data_dir) / "cache" / "video").string());
  video::VideoService videos(
      video::ServiceOptions{&ctx, token_source, &video_models, &video_files, io.get_executor()});
  try {
    videos.load_blocking();
  } catch (const std::exception& e) {
    log->critical("start-up stopped: video tasks: {}", e.what());
    ops::flush_logs();
    return 1;
  }
  // Before the router: its handlers hold a reference.
  media::ImageCache image_cache((fs::path(ctx.data_dir) / "cache" / "image").string());
  if (store->shared()) image_cache.share_through(store.get());
  openai::OpenAiServices openai_services{&*models, chat_adapter.get(), token_source, &image_cache,
                                         &videos};
  auto router = std::make_shared<http::Router>();
  add_ops_routes(*router, ctx);
  console::add_console_routes(*router);
  admin::add_admin_routes(*router, ctx);
  admin::add_log_routes(*router, ctx);
  admin::add_sink_routes(*router, ctx);
  admin::add_plugin_routes(*router, ctx);
  openai::add_openai_routes(*router, ctx, openai_services);
  openai::add_image_routes(*router, ctx, openai_services, image_cache);
  openai::add_video_routes(*router, ctx, videos);
  openai::add_mcp_routes(*router, ctx, openai_services);
  admin::add_token_routes(*router, ctx, pool, grok.get(), egress_for);
  admin::add_proxy_routes(*router, ctx, proxies);

  http::ServerOptions so;
  so.host = settings->server.host;
  so.port = static_cast<uint16_t>(settings->server.port);
  so.max_body_bytes = static_cast<size_t>(settings->global.max_body_mb) << 20;
  so.read_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(settings->server.request_timeout * 1000));
  so.cors_origins = settings->server.cors_origins;
  http::Server server(io, so, router);
  uint16_t port = 0;
  try {
    port = server.listen();
  } catch (const std::exception& e) {
    log->critical("cannot listen on {}:{}: {}", so.host, so.port, e.what());
    ops::flush_logs();
    return 1;
  }
  ctx.apply = [&server, &call_log, &proxies](const config::Settings& s) {
    ops::set_log_level(s.global.log_level);
    proxies.apply_settings(s);
    server.update_limits(static_cast<size_t>(s.global.max_body_mb) << 20, s.server.cors_origins);
    for (const auto& sink : call_log.sinks())
      sink->set_max_pending(static_cast<size_t>(s.global.log_sink_queue_max));
  };

  // Periodic flushes, off the I/O threads: the token pool and storage's buffered writes
  // every batch_save_interval; call-log records every log_flush_interval, and at once when
  // log_batch_size of them are queued.
  runtime::PeriodicJob storage_flush(
      io.get_executor(), blocking, [&ctx] { return ctx.current()->global.batch_save_interval; },
      [&] {
        pool.save_blocking();
        proxies.save_blocking();
        store->flush();
      },
      "Storage");
  runtime::PeriodicJob call_log_flush(
      io.get_executor(), blocking, [&ctx] { return ctx.current()->global.log_flush_interval; },
      [&] {
        call_log.flush_blocking();
        store->flush();
      },
      "CallLog");
  call_log.on_batch_ready([&call_log_flush] { call_log_flush.wake(); });
  storage_flush.start();
  call_log_flush.start();

  // Re-reads the file, the environment and the saved settings, and applies them; returns
  // whether the running settings changed. Blocking.
  auto reload_settings = [&](const char* why) {
    std::lock_guard lock(ctx.settings_write);
    try {
      auto sources = ctx.sources;
      sources.saved_json = saved_settings(*store);
      auto next = load_settings(sources, cl);
      for (const auto& w : next.warnings) cfg_log->warn("{}", w);
      auto before = ctx.current();
      bool changed = config::to_json(*before, true) != config::to_json(next.settings, true);
      auto fresh = std::make_shared<const config::Settings>(next.settings);
      ctx.pinned = next.pinned;
      ctx.settings.store(fresh);
      ctx.apply(*fresh);
      cfg_log->info("settings reloaded ({})", why);
      return changed;
    } catch (const std::exception& ex) {
      cfg_log->error("reload failed, keeping the running settings: {}", ex.what());
      return false;
    }
  };
  // Several instances on one store: take what the others changed, every sync_interval.
  SharedSync shared_sync(
      *store, pool, videos, [&] { return reload_settings("saved by another instance"); },
      ctx.sources.saved_json);
  runtime::PeriodicJob shared_sync_job(
      io.get_executor(), blocking, [&ctx] { return ctx.current()->storage.sync_interval; },
      [&shared_sync] { shared_sync.run_blocking(); }, "Sync");
  if (store->shared()) {
    shared_sync_job.start();
    ops::logger("Storage")->info(
        "shared store: settings, tokens and video tasks are re-read every {} s",
        settings->storage.sync_interval);
  }

  // Signals: TERM/INT drain and stop; HUP reloads the settings.
  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  asio::signal_set hup(io, SIGHUP);
  auto strand = asio::make_strand(io);
  std::atomic<bool> stopping{false};
  std::atomic<bool> stopped_cleanly{false};
  int exit_code = 0;
  stop_signals.async_wait([&](const boost::system::error_code& e, int sig) {
    if (e) return;
    stopping.store(true);
    log->info("received signal {}: draining (deadline {:.0f}s)", sig,
              ctx.current()->server.shutdown_timeout);
    auto deadline = std::chrono::milliseconds(
        static_cast<int64_t>(ctx.current()->server.shutdown_timeout * 1000));
    asio::co_spawn(
        strand,
        [&, deadline]() -> asio::awaitable<void> {
          size_t left = co_await server.drain(deadline);
          if (left) log->warn("{} request(s) still running at the deadline", left);
          storage_flush.stop();
          call_log_flush.stop();
          shared_sync_job.stop();
          hup.cancel();
          // Everything buffered reaches storage, then plugins stop while the loop still
          // runs (their pending callbacks complete), then curl lets go of its handles.
          if (refresher) refresher->stop();
          proxies.stop();
          proxy_health.stop();
          auto flush = blocking.run([&] {
            videos.stop_blocking();
            storage_flush.wait_idle();
            call_log_flush.wait_idle();
            shared_sync_job.wait_idle();
            pool.save_blocking();
            proxies.save_blocking();
            call_log.flush_blocking();
            store->flush();
          });
          try {
            co_await std::move(flush);
          } catch (const std::exception& e) {
            log->error("final flush failed: {}", e.what());
            exit_code = 1;
          }
          // A transfer still open now (a video generation whose stream grok.com holds) is
          // ended, and its coroutine unwinds while the plugins it calls are still loaded,
          // instead of staying suspended, holding what it owns, when the loop stops.
          http.driver().abort_all();
          auto unwound = settle_while(io, [&] { return videos.running_generations() > 0; });
          co_await std::move(unwound);
          // What the flush handed the sinks is delivered before the plugins stop, retries
          // included, within a budget of its own (server.shutdown_timeout).
          auto sink_batch = static_cast<size_t>(ctx.current()->global.log_batch_size);
          if (!co_await calllog::drain_sinks(call_log.sinks(), sink_batch, deadline))
            log->warn("log sinks: the shutdown budget ran out before every record was sent");
          for (const auto& sink : call_log.sinks()) {
            auto c = sink->counters();
            log->info("log sink {}: {} delivered, {} retried, {} dropped, {} not sent", sink->id(),
                      c.delivered, c.retried, c.dropped, sink->pending());
          }
          plugin::http_cancel_all();
          auto stop_plugins = blocking.run([&] { plugins.shutdown(); });
          co_await std::move(stop_plugins);
          // Cancelled calls still finish their callbacks on the loop: let them.
          auto settled = settle_while(io, [] { return plugin::http_in_flight() > 0; });
          co_await std::move(settled);
          if (!co_await http.driver().quiesce(std::chrono::seconds(5)))
            log->warn("upstream transfers still open at exit");
          stopped_cleanly = true;
          io.stop();
        },
        asio::detached);
  });
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](const boost::system::error_code& e, int) {
      if (e) return;
      blocking.post([&] { reload_settings("SIGHUP"); });
      wait_hup();
    });
  };
  wait_hup();

  videos.start();
  server.start();
  ops::logger("Server")->info("listening on {}:{} with {} I/O thread(s)", so.host, port, workers);

  std::vector<std::thread> threads;
  for (int i = 1; i < workers; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();

  blocking.stop();
  if (!stopped_cleanly) {
    // The loop ended some other way: still save what is buffered.
    try {
      videos.stop_blocking();
      pool.save_blocking();
      proxies.save_blocking();
      call_log.flush_blocking();
      store->flush();
    } catch (const std::exception& e) {
      log->error("final flush failed: {}", e.what());
      exit_code = 1;
    }
    plugins.shutdown();
  }
  ops::Metrics::global().remove_gauge("g2a_blocking_queue_depth", "");
  log->info("stopped");
  ops::flush_logs();
  return exit_code;
}

}  // namespace g2a::app
