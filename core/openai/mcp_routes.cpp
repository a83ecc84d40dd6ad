#include "core/openai/mcp_routes.hpp"

#include <boost/json.hpp>

#include <array>

#include "core/admin/auth.hpp"
#include "core/app/version.hpp"
#include "core/calllog/call_record.hpp"
#include "core/calllog/recorded_route.hpp"
#include "core/http/exchange.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr const char* kTool = "ask_grok";
constexpr const char* kDefaultModel = "grok-3-fast";  // the Pro tool's default
// Protocol revisions this server speaks, newest first; a client asking for another gets
// the newest (the MCP version negotiation).
constexpr std::array<const char*, 3> kProtocols{"2025-06-18", "2025-03-26", "2024-11-05"};

// JSON-RPC 2.0 error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

// Keeps the whole answer of a handler that is not streamed.
class CapturedExchange final : public http::Exchange {
 public:
  using http::Exchange::Exchange;
  asio::awaitable<void> send(http::Response response) override {
    status_ = response.status;
    response_ = std::move(response);
    co_return;
  }
  // chat_completions streams only when asked to (stream: true), which ask_grok never does.
  asio::awaitable<void> begin_stream(int status, std::string, std::vector<http::Header>) override {
    status_ = status;
    co_return;
  }
  asio::awaitable<bool> write(std::string_view chunk) override {
    response_.body.append(chunk);
    co_return true;
  }
  asio::awaitable<void> end_stream() override { co_return; }
  const http::Response& response() const { return response_; }

 private:
  http::Response response_;
};

http::Response rpc_result(const json::value& id, json::value result) {
  json::object o{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  return http::json_response(200, json::serialize(o));
}

http::Response rpc_error(const json::value& id, int code, std::string_view message) {
  json::object o{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
  return http::json_response(200, json::serialize(o));
}

json::object tool_description() {
  json::object props{
      {"query", {{"type", "string"}, {"description", "The question or task for Grok."}}},
      {"model",
       {{"type", "string"},
        {"description", "A model id of /v1/models (default grok-3-fast)."},
        {"default", kDefaultModel}}},
      {"system_prompt", {{"type", "string"}, {"description", "An optional system message."}}}};
  return {
      {"name", kTool},
      {"description", "Ask Grok (grok.com) and get its whole answer as text."},
      {"inputSchema",
       {{"type", "object"}, {"properties", std::move(props)}, {"required", json::array{"query"}}}}};
}

json::value initialize_result(const json::object* params) {
  std::string wanted;
  if (params)
    if (auto* v = params->if_contains("protocolVersion"); v && v->is_string())
      wanted = v->as_string();
  std::string version = kProtocols.front();
  for (const char* p : kProtocols)
    if (wanted == p) version = p;
  return json::object{{"protocolVersion", version},
                      {"capabilities", {{"tools", {{"listChanged", false}}}}},
                      {"serverInfo", {{"name", "grok2api"}, {"version", kVersion}}}};
}

// The tool's text, or the error a client (and its model) should read.
struct ToolAnswer {
  std::string text;
  bool error = false;
};

ToolAnswer read_completion(const http::Response& r) {
  json::error_code ec;
  auto v = json::parse(r.body, ec);
  const json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
  if (r.status == 200 && o) {
    try {
      const auto& message = o->at("choices").as_array().at(0).as_object().at("message").as_object();
      if (auto* c = message.if_contains("content"); c && c->is_string())
        return {std::string(c->as_string()), false};
      if (auto* calls = message.if_contains("tool_calls")) return {json::serialize(*calls), false};
    } catch (const std::exception&) {
    }
    return {"The answer had no text.", true};
  }
  std::string message = "HTTP " + std::to_string(r.status);
  if (o)
    if (auto* e = o->if_contains("error"); e && e->is_object())
      if (auto* m = e->as_object().if_contains("message"); m && m->is_string())
        message += ": " + std::string(m->as_string());
  return {message, true};
}

// tools/call ask_grok: the same chat completion a /v1 client gets, not streamed.
asio::awaitable<http::Response> call_tool(http::Exchange& ex, app::AppContext& ctx,
                                          OpenAiServices svc, const json::value& id,
                                          const json::object* params) {
  const json::value* name = params ? params->if_contains("name") : nullptr;
  if (!name || !name->is_string())
    co_return rpc_error(id, kInvalidParams, "params.name is required");
  if (name->as_string() != kTool)
    co_return rpc_error(
        id, kInvalidParams,
        "Unknown tool `" + std::string(name->as_string()) + "`; the tool is ask_grok.");
  const json::value* args_value = params->if_contains("arguments");
  const json::object* args =
      args_value && args_value->is_object() ? &args_value->as_object() : nullptr;
  auto arg = [&](const char* key) -> const json::value* {
    return args ? args->if_contains(key) : nullptr;
  };
  const json::value* query = arg("query");
  if (!query) query = arg("prompt");  // an alias some clients use
  if (!query || !query->is_string() || query->as_string().empty())
    co_return rpc_error(id, kInvalidParams, "arguments.query (a non-empty string) is required");
  const json::value* model = arg("model");
  if (model && !model->is_null() && !model->is_string())
    co_return rpc_error(id, kInvalidParams, "arguments.model must be a string");
  const json::value* system = arg("system_prompt");
  if (system && !system->is_null() && !system->is_string())
    co_return rpc_error(id, kInvalidParams, "arguments.system_prompt must be a string");

  json::array messages;
  if (system && system->is_string() && !system->as_string().empty())
    messages.push_back(json::object{{"role", "system"}, {"content", system->as_string()}});
  messages.push_back(json::object{{"role", "user"}, {"content", query->as_string()}});
  std::string model_id = model && model->is_string() && !model->as_string().empty()
                             ? std::string(model->as_string())
                             : std::string(kDefaultModel);
  if (auto* call = ex.request().call.get()) call->model = model_id;  // not in the JSON-RPC body
  json::object body{{"model", model_id}, {"messages", std::move(messages)}, {"stream", false}};
  http::Request request = ex.request();  // the caller's key and headers
  request.path = "/v1/chat/completions";
  request.body = json::serialize(body);
  CapturedExchange chat(std::move(request));
  auto run = chat_completions(chat, ctx, svc);
  co_await std::move(run);
  ToolAnswer answer = read_completion(chat.response());
  json::object result{
      {"content", json::array{json::object{{"type", "text"}, {"text", answer.text}}}},
      {"isError", answer.error}};
  co_return rpc_result(id, std::move(result));
}

asio::awaitable<void> mcp_post(http::Exchange& ex, app::AppContext& ctx, OpenAiServices svc) {
  json::error_code ec;
  auto v = json::parse(ex.request().body, ec);
  if (ec) {
    co_await ex.send(rpc_error(nullptr, kParseError, "The body is not valid JSON."));
    co_return;
  }
  if (v.is_array()) {
    co_await ex.send(rpc_error(nullptr, kInvalidRequest, "Batches are not supported."));
    co_return;
  }
  const json::object* msg = v.if_object();
  const json::value* method = msg ? msg->if_contains("method") : nullptr;
  const json::value* jsonrpc = msg ? msg->if_contains("jsonrpc") : nullptr;
  const json::value* id_value = msg ? msg->if_contains("id") : nullptr;
  json::value id = id_value ? *id_value : json::value(nullptr);
  if (!msg || !jsonrpc || !jsonrpc->is_string() || jsonrpc->as_string() != "2.0") {
    co_await ex.send(rpc_error(id, kInvalidRequest, "Not a JSON-RPC 2.0 message."));
    co_return;
  }
  if (!method) {  // a response to a request we never make: accepted, nothing to say
    http::Response accepted;
    accepted.status = 202;
    accepted.body.clear();
    co_await ex.send(std::move(accepted));
    co_return;
  }
  if (!method->is_string() || (id_value && !id.is_string() && !id.is_int64() && !id.is_uint64())) {
    co_await ex.send(
        rpc_error(id, kInvalidRequest, "method must be a string and id a string or integer."));
    co_return;
  }
  if (!id_value) {  // a notification (notifications/initialized, cancelled, ...)
    http::Response accepted;
    accepted.status = 202;
    co_await ex.send(std::move(accepted));
    co_return;
  }
  const json::value* params_value = msg->if_contains("params");
  const json::object* params =
      params_value && params_value->is_object() ? &params_value->as_object() : nullptr;
  std::string_view name = method->as_string();
  http::Response answer;
  if (name == "initialize") {
    answer = rpc_result(id, initialize_result(params));
  } else if (name == "ping") {
    answer = rpc_result(id, json::object{});
  } else if (name == "tools/list") {
    answer = rpc_result(id, json::object{{"tools", json::array{tool_description()}}});
  } else if (name == "tools/call") {
    auto call = call_tool(ex, ctx, svc, id, params);
    answer = co_await std::move(call);
  } else {
    answer = rpc_error(id, kMethodNotFound, "Method not found: " + std::string(name));
  }
  co_await ex.send(std::move(answer));
}

asio::awaitable<void> mcp_not_allowed(http::Exchange& ex) {
  auto r =
      http::error_response(405, "This MCP server is stateless: POST JSON-RPC messages to /mcp.",
                           "invalid_request_error", {}, "method_not_allowed");
  r.headers.push_back({"Allow", "POST"});
  co_await ex.send(std::move(r));
}

}  // namespace

void add_mcp_routes(http::Router& router, app::AppContext& ctx, OpenAiServices svc) {
  router.add("POST", "/mcp",
             calllog::recorded(ctx.call_log,
                               admin::require_api_key(
                                   ctx, [&ctx, svc](http::Exchange& ex) -> asio::awaitable<void> {
                                     co_await mcp_post(ex, ctx, svc);
                                   })));
  for (const char* method : {"GET", "DELETE"})
    router.add(method, "/mcp",
               [](http::Exchange& ex) -> asio::awaitable<void> { co_await mcp_not_allowed(ex); });
}

}  // namespace g2a::openai
