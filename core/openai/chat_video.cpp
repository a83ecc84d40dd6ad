#include "core/openai/chat_video.hpp"

#include "core/http/message.hpp"
#include "core/openai/chat_output.hpp"
#include "core/video/video_service.hpp"

namespace g2a::openai {
namespace asio = boost::asio;

namespace {

// How often a streaming client hears a keep-alive while the video is made.
constexpr std::chrono::milliseconds kKeepAlive{15000};

std::string video_tag(const std::string& url) {
  return "<video src=\"" + url + "\" controls=\"controls\" width=\"500\" height=\"300\"></video>\n";
}

// The upstream refused the content: the request is at fault, not the gateway.
int failure_status(const std::string& code) {
  return code == "moderated" ? 400 : 502;
}

}  // namespace

asio::awaitable<void> chat_video(http::Exchange& ex, app::AppContext& ctx,
                                 video::VideoService& videos, const ChatRequest& req) {
  auto settings = ctx.current();
  video::CreateInput in;
  in.model = req.model;
  for (auto it = req.messages.rbegin(); it != req.messages.rend(); ++it) {
    if (it->role != "user") continue;
    in.prompt = it->text;
    if (!it->image_urls.empty()) in.reference.url = it->image_urls.front();
    break;
  }
  in.api_key_name = ex.request().api_key_name;
  in.call = ex.request().call;  // the task submits it: one record for the request
  int64_t prompt_tokens = estimate_tokens(in.prompt);
  std::optional<http::Response> refused;
  video::VideoTask task;
  try {
    auto create = videos.create(std::move(in));
    task = co_await std::move(create);
  } catch (const video::VideoError& e) {
    std::string param = e.param() == "prompt" ? "messages" : e.param();
    refused = http::error_response(e.status(), e.what(), "invalid_request_error", param, e.code());
  }
  if (refused) {
    co_await ex.send(std::move(*refused));
    co_return;
  }
  auto limit = std::chrono::milliseconds(
      static_cast<int64_t>((settings->video.generation_timeout + 120) * 1000));
  auto deadline = std::chrono::steady_clock::now() + limit;
  ChatOutput out(req.model, ReasoningFormat::kHidden);
  if (req.stream) {
    std::vector<http::Header> headers{{"Cache-Control", "no-cache"}};
    co_await ex.begin_stream(200, "text/event-stream", std::move(headers));
    co_await ex.write(out.start());
  }
  while (!task.terminal() && std::chrono::steady_clock::now() < deadline) {
    std::optional<std::string> gone;
    try {
      auto wait = videos.wait(task.id, req.stream ? kKeepAlive : limit);
      task = co_await std::move(wait);
    } catch (const video::VideoError& e) {
      gone = e.what();  // deleted meanwhile (DELETE /v1/videos/{id})
    }
    if (gone) {
      task.status = std::string(video::kFailed);
      task.error_code = "deleted";
      task.error_message = "the video task was deleted before it finished";
      break;
    }
    if (req.stream && !task.terminal() && !co_await ex.write(ChatOutput::keep_alive()))
      co_return;  // the client left; the task goes on and stays in /v1/videos
  }
  if (task.status != video::kCompleted) {
    std::string code = task.terminal() ? task.error_code : "timeout";
    std::string message = task.terminal() ? task.error_message
                                          : "the video was not ready in time; it is task " +
                                                task.id + " in /v1/videos";
    if (req.stream) {
      co_await ex.write(ChatOutput::error_event(message, "upstream_error", code));
      co_await ex.end_stream();
    } else {
      co_await ex.send(
          http::error_response(failure_status(code), message, "upstream_error", {}, code));
    }
    co_return;
  }
  std::string text = video_tag(task.video_url);
  if (req.stream) {
    co_await ex.write(out.text(text));
    co_await ex.write(out.finish("stop"));
    co_await ex.write(ChatOutput::done());
    co_await ex.end_stream();
    co_return;
  }
  out.text(text);
  co_await ex.send(http::json_response(200, out.completion("stop", prompt_tokens)));
}

}  // namespace g2a::openai
