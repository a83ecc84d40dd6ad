#include "core/admin/plugin_routes.hpp"

#include <filesystem>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/plugin/manager.hpp"

namespace g2a::admin {
namespace json = boost::json;

namespace {

json::array kind_names(uint32_t kinds) {
  json::array out;
  for (const auto& name : plugin::kind_names(kinds)) out.emplace_back(name);
  return out;
}

// The file name only: where the gateway is installed is none of the client's business.
std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// A load failure's message names the file by its full path (and the directory searched):
// keep the file name, name the directory by its role.
std::string without_directory(std::string message, const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) return message;
  auto replace_all = [&message](const std::string& from, const std::string& to) {
    for (size_t at = message.find(from); at != std::string::npos;
         at = message.find(from, at + to.size()))
      message.replace(at, from.size(), to);
  };
  replace_all(dir + "/", "");
  replace_all(dir, "the plugin directory");
  return message;
}

json::object plugin_json(const plugin::LoadedPlugin& p) {
  return json::object{
      {"id", p.id},
      {"version", p.version},
      {"vendor", p.vendor},
      {"description", p.description},
      {"kinds", kind_names(p.descriptor.kinds)},
      {"abi", p.abi()},
      {"path", file_name(p.path)},
      {"required", p.required},
  };
}

}  // namespace

void add_plugin_routes(http::Router& router, app::AppContext& ctx) {
  router.add(
      "GET", "/api/plugins",
      require_admin(ctx, [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
        json::array loaded, failures;
        if (ctx.plugins) {
          for (const auto& p : ctx.plugins->plugins()) loaded.push_back(plugin_json(*p));
          for (const auto& f : ctx.plugins->failures())
            failures.push_back(json::object{{"path", file_name(f.path)},
                                            {"id", f.id},
                                            {"message", without_directory(f.message, f.path)},
                                            {"required", f.required}});
        }
        json::object ok;
        ok["data"] = std::move(loaded);
        ok["failures"] = std::move(failures);
        co_await ex.send(pro_ok(std::move(ok)));
      }));
}

}  // namespace g2a::admin
