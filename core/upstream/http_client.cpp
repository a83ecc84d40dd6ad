#include "core/upstream/http_client.hpp"

#include <curl/curl.h>

#include <deque>
#include <mutex>

#include "core/upstream/curl_options.hpp"
#include "core/upstream/signal.hpp"

namespace g2a::upstream {
namespace {
using Clock = std::chrono::steady_clock;
constexpr size_t kPauseAbove = 4u << 20;  // buffered bytes that pause the transfer
constexpr size_t kResumeBelow = 1u << 20;

TransportError cancelled_error() {
  return TransportError(TransportError::Kind::kOther, 0, "transfer cancelled");
}
}  // namespace

struct HttpStream::Transfer {
  CurlDriver* driver = nullptr;
  CURL* easy = nullptr;
  CurlRequestData data;  // header list and body the handle points into
  std::shared_ptr<Signal> signal;

  std::mutex mutex;
  HttpHead head;
  Headers pending_headers;
  bool head_ready = false;
  std::deque<std::string> chunks;
  size_t buffered = 0;
  bool paused = false;
  bool finished = false;
  bool cancelled = false;
  int result = CURLE_OK;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  static size_t on_header(char* p, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(p, size * n);
    std::lock_guard lock(t->mutex);
    if (line.rfind("HTTP/", 0) == 0) {
      t->pending_headers.clear();  // a new block: proxy CONNECT, 1xx or the real answer
    } else if (line == "\r\n" || line == "\n") {
      long code = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
      if (code >= 200 && !t->head_ready) {
        t->head.status = code;
        t->head.headers = std::move(t->pending_headers);
        t->head_ready = true;
        t->signal->notify();
      }
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      auto trim = [](std::string_view v) {
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
          v.remove_suffix(1);
        return std::string(v);
      };
      t->pending_headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return size * n;
  }

  static size_t on_body(char* p, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::lock_guard lock(t->mutex);
    if (t->cancelled) return 0;  // aborts the transfer
    if (t->buffered >= kPauseAbove) {
      t->paused = true;
      return CURL_WRITEFUNC_PAUSE;  // curl hands the same bytes again after resume
    }
    if (!t->head_ready) {
      long code = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
      t->head.status = code;
      t->head.headers = std::move(t->pending_headers);
      t->head_ready = true;
    }
    t->chunks.emplace_back(p, size * n);
    t->buffered += size * n;
    t->signal->notify();
    return size * n;
  }

  void finish(int code) {
    std::lock_guard lock(mutex);
    finished = true;
    result = code;
    if (!head_ready && code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      head.status = status;
      head.headers = std::move(pending_headers);
      head_ready = true;
    }
    signal->notify();
  }

  [[noreturn]] void raise_locked() {
    std::string detail = error_buffer[0] ? error_buffer : "";
    throw transport_error(result, detail);
  }
};

HttpStream::~HttpStream() {
  cancel();
  t_->driver->retire(t_->easy, t_);
}

void HttpStream::cancel() {
  {
    std::lock_guard lock(t_->mutex);
    t_->cancelled = true;
  }
  t_->signal->notify();
}

boost::asio::awaitable<HttpHead> HttpStream::head(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(t_->mutex);
      if (t_->cancelled) throw cancelled_error();
      if (t_->head_ready) co_return t_->head;
      if (t_->finished) t_->raise_locked();
    }
    bool notified = co_await t_->signal->wait(deadline);
    if (!notified) {
      std::lock_guard lock(t_->mutex);
      if (!t_->head_ready && !t_->finished)
        throw TransportError(
            TransportError::Kind::kTimeout, CURLE_OPERATION_TIMEDOUT,
            "no response from upstream within " + std::to_string(timeout.count()) + " ms");
    }
  }
}

boost::asio::awaitable<std::optional<std::string>> HttpStream::next(
    std::chrono::milliseconds idle) {
  auto deadline = Clock::now() + idle;
  for (;;) {
    bool resume = false;
    {
      std::lock_guard lock(t_->mutex);
      if (t_->cancelled) throw cancelled_error();
      if (!t_->chunks.empty()) {
        std::string chunk = std::move(t_->chunks.front());
        t_->chunks.pop_front();
        t_->buffered -= chunk.size();
        if (t_->paused && t_->buffered < kResumeBelow) {
          t_->paused = false;
          resume = true;
        }
        if (resume) t_->driver->resume(t_->easy);
        co_return chunk;
      }
      if (t_->finished) {
        if (t_->result != CURLE_OK) t_->raise_locked();
        co_return std::nullopt;
      }
    }
    bool notified = co_await t_->signal->wait(deadline);
    if (!notified) {
      std::lock_guard lock(t_->mutex);
      if (t_->chunks.empty() && !t_->finished)
        throw TransportError(TransportError::Kind::kTimeout, CURLE_OPERATION_TIMEDOUT,
                             "upstream sent nothing for " + std::to_string(idle.count()) + " ms");
    }
  }
}

std::unique_ptr<HttpStream> HttpClient::open(HttpRequest request) {
  auto t = std::make_shared<HttpStream::Transfer>();
  t->driver = &driver_;
  t->signal = Signal::create(io_.get_executor());
  t->easy = curl_easy_init();
  configure_easy(t->easy, request, t->data);
  curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(t->easy, CURLOPT_HEADERFUNCTION, &HttpStream::Transfer::on_header);
  curl_easy_setopt(t->easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, &HttpStream::Transfer::on_body);
  curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t.get());
  std::weak_ptr<HttpStream::Transfer> weak = t;
  driver_.start(t->easy, [weak](int code) {
    if (auto s = weak.lock()) s->finish(code);
  });
  return std::make_unique<HttpStream>(std::move(t));
}

boost::asio::awaitable<HttpResponse> HttpClient::fetch(HttpRequest request,
                                                       std::chrono::milliseconds timeout,
                                                       size_t max_body) {
  auto stream = open(std::move(request));
  HttpResponse out;
  out.head = co_await stream->head(timeout);
  while (auto chunk = co_await stream->next(timeout)) {
    if (out.body.size() + chunk->size() > max_body)
      throw TransportError(TransportError::Kind::kTooLarge, 0,
                           "upstream answer larger than " + std::to_string(max_body) + " bytes");
    out.body += *chunk;
  }
  co_return out;
}

}  // namespace g2a::upstream
