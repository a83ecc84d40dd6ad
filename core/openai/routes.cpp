#include "core/openai/routes.hpp"
#include "core/openai/attempts_options.hpp"
#include "core/openai/token_attempts.hpp"

#include <boost/json.hpp>

#include <cctype>

#include <set>

#include "core/admin/auth.hpp"
#include "core/calllog/call_record.hpp"
#include "core/calllog/recorded_route.hpp"
#include "core/chat/adapter_host.hpp"
#include "core/chat/token_source.hpp"
#include "core/chat/turn_runner.hpp"
#include "core/media/asset_download.hpp"
#include "core/media/image_cache.hpp"
#include "core/openai/chat_images.hpp"
#include "core/openai/chat_output.hpp"
#include "core/openai/chat_request.hpp"
#include "core/openai/chat_video.hpp"
#include "core/openai/image_links.hpp"
#include "core/openai/json_answer.hpp"
#include "core/openai/model_table.hpp"
#include "core/openai/tool_emulation.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::openai {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;

namespace {

constexpr int64_t kModelsCreated = 1735689600;  // 2025-01-01: a fixed, honest "created"

json::object model_json(const ModelEntry& m) {
  json::array tiers;
  for (const auto& t : m.tiers) tiers.emplace_back(t);
  return {{"id", m.id},
          {"object", "model"},
          {"created", kModelsCreated},
          {"owned_by", "grok2api"},
          {"kind", ModelTable::kind_name(m.kind)},
          {"mode", m.mode},
          {"tiers", std::move(tiers)},
          {"description", m.description}};
}

// What the gateway asks of the model beyond the messages: emulated tools and JSON answers.
struct Shaping {
  ToolChoice choice;
  std::string instruction;  // the system message to add, or ""
  bool tools = false;
  bool json = false;
  bool buffered() const { return tools || json; }
};

Shaping shaping_for(const ChatRequest& r, const ToolChoice& choice) {
  Shaping s;
  s.choice = choice;
  std::string tools = tool_instruction(r.tools_json, choice);
  std::string json_text = json_instruction(r.response_format, r.response_schema_json);
  s.tools = !tools.empty();
  s.json = !json_text.empty();
  s.instruction = tools;
  if (s.tools && s.json) s.instruction += "\n\n";
  s.instruction += json_text;
  return s;
}

// grok.filtered_tags ("a,b,c") as the adapter's list; empty names are skipped, so an
// empty setting filters nothing.
json::array filtered_tags(std::string_view setting) {
  json::array names;
  while (!setting.empty()) {
    size_t comma = setting.find(',');
    std::string_view name = setting.substr(0, comma);
    setting = comma == std::string_view::npos ? std::string_view() : setting.substr(comma + 1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
      name.remove_prefix(1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
      name.remove_suffix(1);
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

// The adapter's turn request (plugin.h) for an OpenAI chat request. The shaping
// instruction goes last so it also reaches a continued conversation.
std::string turn_request(const ChatRequest& r, const std::string& mode,
                         const config::Settings& settings, const Shaping& shaping,
                         const std::vector<std::string>& attachments, std::string_view transport) {
  json::array messages;
  for (const auto& m : r.messages) {
    json::object o{{"role", m.role}, {"content", m.text}};
    if (!m.name.empty()) o["name"] = m.name;
    if (!m.tool_call_id.empty()) o["tool_call_id"] = m.tool_call_id;
    if (!m.tool_calls_json.empty()) o["tool_calls"] = json::parse(m.tool_calls_json);
    messages.push_back(std::move(o));
  }
  if (!shaping.instruction.empty())
    messages.push_back(json::object{{"role", "system"}, {"content", shaping.instruction}});
  json::array files;
  for (const auto& id : attachments) files.emplace_back(id);
  json::object req{{"kind", "chat"},
                   {"model", r.model},
                   {"mode", mode},
                   {"transport", transport},
                   {"messages", std::move(messages)},
                   {"attachments", std::move(files)},
                   {"options",
                    {{"temporary", settings.grok.temporary},
                     {"image_generation_count", 2},
                     {"disable_search", false},
                     {"filtered_tags", filtered_tags(settings.grok.filtered_tags)}}}};
  return json::serialize(req);
}

// Collects the turn's events into the OpenAI answer: streamed as they come, or whole.
class ChatSink final : public chat::TurnSink {
 public:
  ChatSink(http::Exchange& ex, const ChatRequest& req, const config::Settings& s,
           const Shaping& shaping, app::AppContext& ctx, media::ImageCache* cache)
      : ex_(ex),
        req_(req),
        shaping_(shaping),
        format_(!s.grok.show_thinking ? ReasoningFormat::kHidden
                : s.grok.reasoning_format == "reasoning_content"
                    ? ReasoningFormat::kReasoningContent
                    : ReasoningFormat::kThinkTags),
        out_(req.model, format_),
        ctx_(ctx),
        cache_(cache),
        inline_images_(s.global.image_mode == "base64"),
        image_idle_(static_cast<int64_t>(s.grok.stream_chunk_timeout * 1000)) {}

  asio::awaitable<bool> event(const json::object& e) override {
    std::string type = e.contains("type") ? std::string(e.at("type").as_string()) : "";
    auto str = [&](const char* k) {
      auto* v = e.if_contains(k);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    // A shaped answer is parsed whole at the end, so nothing of it streams; its
    // reasoning is dropped rather than mixed into the content.
    if (type == "text" || type == "reasoning" || type == "image" || type == "citation")
      output_ = true;
    if (type == "text" && shaping_.buffered()) {
      answer_ += str("text");
      co_return true;
    }
    if (type == "reasoning" && shaping_.buffered()) co_return true;
    if (type == "text") co_return co_await emit(out_.text(str("text")));
    if (type == "reasoning") co_return co_await emit(out_.reasoning(str("text")));
    if (type == "citation") {
      std::string url = str("url");
      if (!url.empty() && seen_urls_.insert(url).second) citations_.emplace_back(str("title"), url);
      co_return true;
    }
    if (type == "done") {
      finish_reason_ = str("finish_reason").empty() ? "stop" : str("finish_reason");
      done_ = true;
      co_return true;
    }
    if (type == "error") {
      error_ = upstream::grok::diagnose_stream_error(str("code"), str("message"));
      co_return false;
    }
    if (type == "image") {
      // Shown once the turn ended well; a shaped answer has no room for them.
      if (!shaping_.buffered() && !str("url").empty()) image_urls_.push_back(str("url"));
      co_return true;
    }
    co_return true;  // search, conversation: not shown yet
  }

  // The account (and its egress) of the current attempt: generated images are readable
  // only with it.
  void use_account(upstream::grok::Account account, upstream::grok::Egress egress) {
    account_ = std::move(account);
    egress_ = std::move(egress);
    image_urls_.clear();
  }

  asio::awaitable<bool> idle() override {
    if (!req_.stream) co_return true;
    if (!started_) co_await begin();
    co_return co_await ex_.write(ChatOutput::keep_alive());
  }

  // Ends the answer after a successful turn.
  asio::awaitable<void> complete(int64_t prompt_tokens) {
    if (shaping_.buffered()) {
      std::vector<ToolCall> calls;
      if (shaping_.tools) calls = parse_tool_calls(answer_, req_.tools_json, shaping_.choice);
      std::string text = answer_;
      if (calls.empty() && shaping_.json) {
        auto checked = check_json_answer(answer_, req_.response_schema_json);
        if (!checked.error.empty()) {
          ops::logger("Chat")->warn("response_format {}: {}", req_.response_format, checked.error);
          std::string message =
              "The model did not answer in the requested format: " + checked.error;
          co_await fail(502, message, "server_error", "invalid_model_output");
          co_return;
        }
        text = std::move(checked.text);
      }
      if (!calls.empty()) {
        finish_reason_ = "tool_calls";
        co_await emit(out_.tool_calls(calls));
      } else {
        co_await emit(out_.text(text));
      }
    } else if (!image_urls_.empty()) {
      std::string images = co_await images_markdown();
      co_await emit(out_.text(images));
    }
    if (!shaping_.buffered() && !citations_.empty()) {
      std::string sources = "\n\nSources:\n";
      for (const auto& [title, url] : citations_)
        sources += "- [" + (title.empty() ? url : title) + "](" + url + ")\n";
      co_await emit(out_.text(sources));
    }
    if (!req_.stream) {
      co_await ex_.send(http::json_response(200, out_.completion(finish_reason_, prompt_tokens)));
      co_return;
    }
    if (!started_) co_await begin();
    co_await ex_.write(out_.finish(finish_reason_));
    if (req_.include_usage) co_await ex_.write(out_.usage(prompt_tokens));
    co_await ex_.write(ChatOutput::done());
    co_await ex_.end_stream();
  }

  // Ends the answer with an error: a plain JSON error before the stream began, an error
  // event and [DONE] after.
  asio::awaitable<void> fail(int status, std::string_view message, std::string_view type,
                             std::string_view code, std::vector<http::Header> headers = {}) {
    if (!started_) {
      auto r = http::error_response(status, message, type, {}, code);
      r.headers = std::move(headers);
      co_await ex_.send(std::move(r));
      co_return;
    }
    co_await ex_.write(ChatOutput::error_event(message, type, code));
    co_await ex_.write(ChatOutput::done());
    co_await ex_.end_stream();
  }

  bool done() const { return done_; }
  const std::optional<Diagnosis>& error() const { return error_; }
  // The current attempt produced answer content (text, thinking, an image, a citation).
  bool output() const { return output_; }
  // A failed answer may still move to another account while the client has seen none of
  // its content: always when it is sent whole, until the first content chunk when streamed.
  bool may_move() const { return !content_sent_; }
  // Forgets what a failed attempt collected (the client has seen none of it).
  void begin_attempt() {
    error_.reset();
    done_ = output_ = false;
    finish_reason_ = "stop";
    answer_.clear();
    seen_urls_.clear();
    citations_.clear();
    image_urls_.clear();
    if (!started_) out_ = ChatOutput(req_.model, format_);
  }

 private:
  asio::awaitable<void> begin() {
    started_ = true;
    std::vector<http::Header> headers{{"Cache-Control", "no-cache"}};
    co_await ex_.begin_stream(200, "text/event-stream", std::move(headers));
    co_await ex_.write(out_.start());
  }
  // The turn's generated images as markdown images: downloaded with the turn's account,
  // then cached links or data URLs. An image that cannot be fetched is left out (logged).
  asio::awaitable<std::string> images_markdown() {
    std::string text;
    size_t missing = 0;
    for (const auto& url : image_urls_) {
      std::string link;
      try {
        if (!ctx_.grok || (!cache_ && !inline_images_))
          throw std::runtime_error("no image service");
        auto download = media::download_image(*ctx_.grok, account_, egress_, url, image_idle_);
        auto image = co_await std::move(download);
        if (inline_images_) {
          link = image_data_url(image);
        } else {
          auto put = cached_image_link(ctx_, *cache_, std::move(image));
          link = co_await std::move(put);
        }
      } catch (const std::exception& e) {
        ops::logger("Chat")->warn("generated image {}: {}", url, e.what());
      }
      if (link.empty()) {
        ++missing;
        continue;
      }
      text += "\n\n![Generated Image](" + link + ")";  // the Pro service's form
    }
    if (missing)
      text += "\n\n(" + std::to_string(missing) + " generated image" + (missing > 1 ? "s" : "") +
              " could not be retrieved.)";
    co_return text;
  }

  asio::awaitable<bool> emit(std::string piece) {
    if (piece.empty() || !req_.stream) co_return true;
    if (!started_) co_await begin();
    content_sent_ = true;
    co_return co_await ex_.write(piece);
  }

  http::Exchange& ex_;
  const ChatRequest& req_;
  const Shaping& shaping_;
  ReasoningFormat format_;
  ChatOutput out_;
  std::string answer_;  // the whole answer text, when shaped
  bool started_ = false;
  bool content_sent_ = false;  // a content chunk reached the client
  bool output_ = false;
  bool done_ = false;
  std::string finish_reason_ = "stop";
  std::optional<Diagnosis> error_;
  std::set<std::string> seen_urls_;
  std::vector<std::pair<std::string, std::string>> citations_;
  app::AppContext& ctx_;
  media::ImageCache* cache_;
  bool inline_images_;
  std::chrono::milliseconds image_idle_;
  upstream::grok::Account account_;
  upstream::grok::Egress egress_;
  std::vector<std::string> image_urls_;
};

// The lite image model draws the last user message: "Drawing: <prompt>".
void draw(ChatRequest& req) {
  for (auto it = req.messages.rbegin(); it != req.messages.rend(); ++it)
    if (it->role == "user") {
      if (it->text.rfind("Drawing:", 0) != 0) it->text = "Drawing: " + it->text;
      return;
    }
}

// Everything a chat turn needs besides the account.
struct ChatTurnInputs {
  upstream::grok::GrokClient& grok;
  chat::AdapterHost& adapter;
  const ChatRequest& req;
  const std::string& mode;
  const config::Settings& settings;
  const Shaping& shaping;
  const std::vector<media::ImageBytes>& images;
  chat::TurnTimeouts timeouts;
};

// One turn over one transport: its failure, or nullopt when the answer is complete.
asio::awaitable<std::optional<Diagnosis>> chat_turn(const ChatTurnInputs& in,
                                                    const upstream::grok::Account& account,
                                                    const upstream::grok::Egress& egress,
                                                    const std::vector<std::string>& attachments,
                                                    std::string_view transport, ChatSink& sink) {
  sink.begin_attempt();
  std::string request_json =
      turn_request(in.req, in.mode, in.settings, in.shaping, attachments, transport);
  std::optional<Diagnosis> failure;
  try {
    auto turn =
        chat::run_turn(in.grok, in.adapter, account, egress, request_json, in.timeouts, sink);
    co_await std::move(turn);
    failure = sink.error();
    if (!failure && !sink.done())
      failure = Diagnosis{Problem::kServerError, 0, "the upstream ended without an answer"};
  } catch (const upstream::grok::UpstreamError& e) {
    failure = e.diagnosis();
  } catch (const upstream::TransportError& e) {
    failure = upstream::grok::diagnose_transport(e);
  }
  co_return failure;
}

// One chat turn with one account: its failure, or nullopt when the answer is complete.
// When the chat gateway refuses the turn before any output, the same turn goes once over
// REST with the same account ("REST is also used when the gateway refuses").
asio::awaitable<std::optional<Diagnosis>> chat_attempt(const ChatTurnInputs& in,
                                                       const std::string& sso,
                                                       const upstream::grok::Egress& egress,
                                                       ChatSink& sink) {
  upstream::grok::Account account{sso, ""};
  sink.use_account(account, egress);
  // Files belong to the account that uploaded them: uploaded again for each token.
  std::vector<std::string> attachments;
  if (!in.images.empty()) {
    auto upload = upload_chat_images(in.grok, account, egress, in.images);
    attachments = co_await std::move(upload);
  }
  const std::string& transport = in.settings.grok.chat_transport;
  auto first = chat_turn(in, account, egress, attachments, transport, sink);
  auto failure = co_await std::move(first);
  if (!failure || transport != "ws" || sink.output() ||
      !upstream::grok::chat_gateway_refused(*failure))
    co_return failure;
  ops::logger("Chat")->warn(
      "the chat gateway refused the turn with {} ({}: {}); retrying it over REST",
      ops::mask_token(sso), upstream::grok::to_string(failure->problem), failure->message);
  auto rest = chat_turn(in, account, egress, attachments, "rest", sink);
  co_return co_await std::move(rest);
}

}  // namespace

asio::awaitable<void> chat_completions(http::Exchange& ex, app::AppContext& ctx,
                                       OpenAiServices svc) {
  auto settings = ctx.current();
  ChatRequest req;
  ToolChoice choice;
  std::optional<http::Response> invalid;
  try {
    req = parse_chat_request(ex.request().body);
    choice = parse_tool_choice(req.tool_choice_json, req.tools_json);
  } catch (const RequestError& e) {
    invalid = http::error_response(400, e.what(), "invalid_request_error", e.param(), e.code());
  }
  if (invalid) {
    co_await ex.send(std::move(*invalid));
    co_return;
  }
  const ModelEntry* model = svc.models->find(req.model);
  if (!model) {
    co_await ex.send(http::error_response(404, "The model `" + req.model + "` does not exist.",
                                          "invalid_request_error", "model", "model_not_found"));
    co_return;
  }
  if (auto refusal = admin::model_refusal(ctx, ex.request(), req.model)) {
    co_await ex.send(std::move(*refusal));
    co_return;
  }
  // The lite image model is a Fast chat turn that asks for a drawing (spec §2.5b).
  bool lite = model->kind == ModelKind::kImage && model->mode == "lite";
  if (model->kind == ModelKind::kVideo && svc.videos) {
    auto video = chat_video(ex, ctx, *svc.videos, req);
    co_await std::move(video);
    co_return;
  }
  if (model->kind != ModelKind::kChat && !lite) {
    co_await ex.send(http::error_response(
        400,
        "The model `" + req.model + "` makes " + std::string(ModelTable::kind_name(model->kind)) +
            "s; use " +
            (model->kind == ModelKind::kVideo ? "/v1/videos" : "/v1/images/generations"),
        "invalid_request_error", "model", "model_not_supported"));
    co_return;
  }
  if (!svc.chat_adapter || !svc.tokens || !ctx.grok || !ctx.http) {
    co_await ex.send(http::error_response(503, "The chat service is not available (see /health).",
                                          "server_error", {}, "service_unavailable"));
    co_return;
  }

  std::string mode = lite ? "fast" : model->mode;
  if (lite) draw(req);
  std::vector<media::ImageBytes> images;
  try {
    auto collect = collect_chat_images(req, *settings, *ctx.http);
    images = co_await std::move(collect);
  } catch (const RequestError& e) {
    invalid = http::error_response(400, e.what(), "invalid_request_error", e.param(), e.code());
  }
  if (invalid) {
    co_await ex.send(std::move(*invalid));
    co_return;
  }

  int64_t prompt_tokens = 0;
  for (const auto& m : req.messages) prompt_tokens += estimate_tokens(m.text) + 4;
  Shaping shaping = shaping_for(req, choice);
  prompt_tokens += estimate_tokens(shaping.instruction);
  chat::TokenRequirement need{mode, model->tiers};
  chat::TurnTimeouts timeouts;
  auto secs = [](double s) { return std::chrono::milliseconds(static_cast<int64_t>(s * 1000)); };
  timeouts.first_response = secs(settings->grok.stream_first_response_timeout);
  timeouts.idle = secs(settings->grok.stream_chunk_timeout);
  timeouts.total = secs(settings->grok.stream_total_timeout);

  ChatSink sink(ex, req, *settings, shaping, ctx, svc.image_cache);
  ChatTurnInputs inputs{*ctx.grok, *svc.chat_adapter, req,    mode,
                        *settings, shaping,           images, timeouts};
  TokenAttemptsOptions options =
      attempts_options(ctx, *settings, "Chat", req.model, ex.request().call.get());
  options.may_move = [&sink] { return sink.may_move(); };
  TokenAttempt attempt = [&](const std::string& sso, const upstream::grok::Egress& egress) {
    return chat_attempt(inputs, sso, egress, sink);
  };
  auto attempts = run_token_attempts(*svc.tokens, need, std::move(options), std::move(attempt));
  auto failure = co_await std::move(attempts);
  if (!failure) {
    co_await sink.complete(prompt_tokens);
    co_return;
  }
  if (auto* call = ex.request().call.get()) {
    // A stream may have sent 200 already: the record still says the call failed.
    call->failure_noted = true;
    if (call->error_message.empty()) call->error_message = failure->message;
  }
  co_await sink.fail(failure->status, failure->message, failure->type, failure->code,
                     std::move(failure->headers));
}

void add_openai_routes(http::Router& router, app::AppContext& ctx, OpenAiServices svc) {
  router.add("GET", "/v1/models",
             admin::require_api_key(ctx, [&ctx, svc](http::Exchange& ex) -> asio::awaitable<void> {
               json::array data;
               for (const auto& m : svc.models->entries())
                 if (m.listed && admin::key_allows_model(ctx, ex.request(), m.id))
                   data.push_back(model_json(m));
               json::object body{{"object", "list"}, {"data", std::move(data)}};
               co_await ex.send(http::json_response(200, json::serialize(body)));
             }));
  router.add("GET", "/v1/models/{id}",
             admin::require_api_key(ctx, [&ctx, svc](http::Exchange& ex) -> asio::awaitable<void> {
               const auto& id = ex.request().params["id"];
               const ModelEntry* m = svc.models->find(id);
               if (!m || !admin::key_allows_model(ctx, ex.request(), id)) {
                 co_await ex.send(
                     http::error_response(404, "The model `" + id + "` does not exist.",
                                          "invalid_request_error", "model", "model_not_found"));
                 co_return;
               }
               co_await ex.send(http::json_response(200, json::serialize(model_json(*m))));
             }));
  router.add("POST", "/v1/chat/completions",
             calllog::recorded(ctx.call_log,
                               admin::require_api_key(
                                   ctx, [&ctx, svc](http::Exchange& ex) -> asio::awaitable<void> {
                                     co_await chat_completions(ex, ctx, svc);
                                   })));
}

}  // namespace g2a::openai
