#include "core/plugin/manager.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <utility>

#include "core/ops/logging.hpp"

namespace g2a::plugin {
namespace fs = std::filesystem;

namespace {

std::string abi_text(uint32_t v) {
  return std::to_string(G2A_ABI_VERSION_MAJOR(v)) + "." + std::to_string(G2A_ABI_VERSION_MINOR(v));
}

std::string str_or(const char* s, const char* fallback) {
  return s && *s ? s : fallback;
}

bool is_valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

std::string LoadedPlugin::abi() const {
  return std::to_string(abi_major()) + "." + std::to_string(abi_minor());
}

std::vector<std::string> kind_names(uint32_t kinds) {
  static constexpr std::pair<uint32_t, const char*> kNames[] = {
      {G2A_KIND_STORAGE, "storage"},
      {G2A_KIND_PROXY_SOURCE, "proxy_source"},
      {G2A_KIND_LOG_SINK, "log_sink"},
      {G2A_KIND_SIGNER, "signer"},
      {G2A_KIND_MODEL_ADAPTER, "model_adapter"},
      {G2A_KIND_CLEARANCE, "clearance"},
  };
  std::vector<std::string> out;
  for (auto [bit, name] : kNames)
    if (kinds & bit) out.emplace_back(name);
  return out;
}

const void* LoadedPlugin::table(uint32_t kind) const {
  if (!(descriptor.kinds & kind) || !descriptor.get_interface) return nullptr;
  const void* t = descriptor.get_interface(kind);
  if (!t) return nullptr;
  // Every table starts with its struct_size; a table smaller than the v1.0 one of its
  // kind cannot be used.
  uint32_t size = *static_cast<const uint32_t*>(t);
  size_t needed = 0;
  switch (kind) {
    case G2A_KIND_STORAGE:
      needed = G2A_MIN_STORAGE_SIZE;  // log_timeseries came in 1.1
      break;
    case G2A_KIND_PROXY_SOURCE:
      needed = sizeof(g2a_proxy_source_v1);
      break;
    case G2A_KIND_LOG_SINK:
      needed = sizeof(g2a_log_sink_v1);
      break;
    case G2A_KIND_SIGNER:
      needed = offsetof(g2a_signer_v1, status);  // status came later within 1.0
      break;
    case G2A_KIND_MODEL_ADAPTER:
      needed = sizeof(g2a_model_adapter_v1);
      break;
    case G2A_KIND_CLEARANCE:
      // The kind came in 1.2: an older plugin's bit 5 meant nothing.
      if (abi_minor() < 2) return nullptr;
      needed = sizeof(g2a_clearance_v1);
      break;
    default:
      needed = sizeof(uint32_t);
  }
  return size >= needed ? t : nullptr;
}

Manager::Manager(ManagerOptions options) : options_(std::move(options)) {}

Manager::~Manager() {
  shutdown();
}

std::string Manager::default_directory() {
  auto exe = boost::dll::program_location();
  return (fs::path(exe.parent_path().string()) / ".." / "lib" / "grok2api")
      .lexically_normal()
      .string();
}

bool Manager::is_required(const std::string& id) const {
  if (std::find(options_.must_have.begin(), options_.must_have.end(), id) !=
      options_.must_have.end())
    return true;
  auto it = options_.settings.entries.find(id);
  return it != options_.settings.entries.end() && it->second.required;
}

LoadedPlugin* Manager::find(const std::string& id) const {
  for (const auto& p : plugins_)
    if (p->id == id) return p.get();
  return nullptr;
}

void Manager::fail(const std::string& path, const std::string& id, const std::string& message) {
  bool required = !id.empty() && is_required(id);
  failures_.push_back({path, id, message, required});
  ops::logger("Plugin")->error("{}{}", message, required ? " (required: start-up stops)" : "");
  if (required) throw FatalPluginError(message);
}

void Manager::load_all() {
  auto log = ops::logger("Plugin");
  std::vector<std::string> files;
  std::error_code ec;
  const auto& dir = options_.directory;
  if (fs::is_directory(dir, ec)) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".so") continue;
      std::string stem = entry.path().stem().string();
      if (!options_.storage_id.empty() && stem.rfind("storage-", 0) == 0 &&
          stem != options_.storage_id)
        continue;
      const auto& enabled = options_.settings.enabled;
      if (!enabled.empty() && std::find(enabled.begin(), enabled.end(), stem) == enabled.end() &&
          !is_required(stem))
        continue;
      files.push_back(entry.path().string());
    }
  } else {
    log->warn("plugin directory {} does not exist", dir);
  }
  std::sort(files.begin(), files.end());
  log->info("loading plugins from {} ({} found)", dir, files.size());
  for (const auto& f : files) load_file(f, false);
  for (const auto& p : options_.settings.paths) load_file(p, true);

  for (const auto& id : options_.must_have)
    if (!find(id)) {
      bool already = std::any_of(failures_.begin(), failures_.end(),
                                 [&](const LoadFailure& f) { return f.id == id; });
      if (!already)
        fail(dir + "/" + id + ".so", id,
             "required plugin '" + id + "' was not found in " + dir +
                 " (set [plugins] directory or paths)");
    }
  for (const auto& [id, entry] : options_.settings.entries)
    if (entry.required && !find(id) &&
        std::none_of(failures_.begin(), failures_.end(),
                     [&](const LoadFailure& f) { return f.id == id; }))
      fail(dir + "/" + id + ".so", id, "required plugin '" + id + "' was not found in " + dir);
}

void Manager::load_file(const std::string& path, bool explicit_path) {
  auto log = ops::logger("Plugin");
  std::string stem = fs::path(path).stem().string();
  std::string guess_id = explicit_path ? std::string() : stem;
  // dlopen first for the loader's own message (Boost.DLL reports only a generic code).
  // RTLD_NODELETE: a plugin's code and its libraries stay mapped until the process exits,
  // so state they keep in globals (libmariadb's one-time init, say) is still reachable
  // when the leak checker and atexit handlers run, and no callback outlives its code.
  void* probe = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!probe) {
    const char* why = dlerror();
    return fail(path, guess_id,
                "cannot load plugin " + path + ": " + (why ? why : "unknown error"));
  }
  auto lib = std::make_shared<boost::dll::shared_library>();
  boost::system::error_code ec;
  lib->load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  dlclose(probe);
  if (ec) return fail(path, guess_id, "cannot load plugin " + path + ": " + ec.message());
  if (!lib->has(G2A_ENTRY_SYMBOL))
    return fail(path, guess_id,
                path + " is not a grok2api plugin (it exports no " G2A_ENTRY_SYMBOL ")");
  auto entry = lib->get<const g2a_plugin_v1*(const g2a_host_v1*)>(G2A_ENTRY_SYMBOL);
  const g2a_plugin_v1* desc = entry(host_table());
  std::string host_abi = abi_text(G2A_ABI_VERSION);
  if (!desc)
    return fail(path, guess_id,
                "plugin " + path + " refused this host (host ABI " + host_abi + ")");

  auto p = std::make_unique<LoadedPlugin>();
  p->path = path;
  std::memcpy(&p->descriptor, desc, std::min<size_t>(desc->struct_size, sizeof(g2a_plugin_v1)));
  p->descriptor.struct_size = desc->struct_size;
  p->id = str_or(desc->struct_size >= offsetof(g2a_plugin_v1, version) ? desc->id : nullptr, "");
  std::string shown = p->id.empty() ? stem : p->id;
  uint32_t abi = desc->abi_version;
  if (G2A_ABI_VERSION_MAJOR(abi) != G2A_ABI_MAJOR || G2A_ABI_VERSION_MINOR(abi) > G2A_ABI_MINOR)
    return fail(
        path, shown,
        "plugin " + path + " (" + shown + ") was built for ABI " + abi_text(abi) +
            "; this host provides ABI " + host_abi +
            (G2A_ABI_VERSION_MAJOR(abi) == G2A_ABI_MAJOR ? " (a newer minor needs a newer host)"
                                                         : " (another major)"));
  if (desc->struct_size < offsetof(g2a_plugin_v1, get_interface) + sizeof(void*))
    return fail(path, shown,
                "plugin " + path + " has a descriptor of " + std::to_string(desc->struct_size) +
                    " bytes, smaller than ABI 1.0's");
  if (!is_valid_id(p->id))
    return fail(path, shown, "plugin " + path + " has an invalid id '" + p->id + "'");
  if (!p->descriptor.create || !p->descriptor.destroy || !p->descriptor.get_interface)
    return fail(path, p->id, "plugin " + path + " lacks create, destroy or get_interface");
  if (auto* other = find(p->id))
    return fail(
        path, p->id,
        "plugin id '" + p->id + "' from " + path + " is already loaded from " + other->path);

  p->version = str_or(desc->version, "?");
  p->vendor = str_or(desc->vendor, "");
  p->description = str_or(desc->description, "");
  p->required = is_required(p->id);
  p->library = lib;
  p->ctx = std::make_unique<g2a_host_ctx>();
  p->ctx->plugin_id = p->id;
  p->ctx->log = ops::logger(p->id);
  auto entry_it = options_.settings.entries.find(p->id);
  if (entry_it != options_.settings.entries.end())
    p->ctx->config_json = entry_it->second.config_json;
  if (p->descriptor.kinds & G2A_KIND_SIGNER)
    p->ctx->config_json = merge_config_defaults(p->ctx->config_json, options_.signer_defaults_json);
  if (auto d = options_.config_defaults.find(p->id); d != options_.config_defaults.end())
    p->ctx->config_defaults = d->second;
  p->ctx->paths = options_.paths;
  p->ctx->io = options_.io;
  p->ctx->blocking = options_.blocking;
  p->ctx->http = options_.http;
  p->ctx->default_user_agent = options_.default_user_agent;

  g2a_buf err{nullptr, 0};
  void* instance = nullptr;
  g2a_status st = p->descriptor.create(host_table(), p->ctx.get(), &instance, &err);
  std::string message = err.data ? std::string(err.data, err.len) : std::string();
  host_table()->free(err.data);
  if (st != G2A_OK || !instance)
    return fail(path, p->id,
                "plugin " + p->id + " failed to start: " +
                    (message.empty() ? "status " + std::to_string(st) : message));
  p->instance = instance;
  log->info("loaded {} {} (ABI {}) from {}", p->id, p->version, abi_text(abi), path);
  plugins_.push_back(std::move(p));
}

void Manager::shutdown() {
  for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
    auto& p = *it;
    if (!p->instance) continue;
    stop_all_timers(p->ctx.get());
    p->descriptor.destroy(p->instance);
    p->instance = nullptr;
  }
}

}  // namespace g2a::plugin
