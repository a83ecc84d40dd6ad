#include "core/upstream/curl_driver.hpp"

#include <curl/curl.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <utility>
#include <vector>

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/ops/logging.hpp"
#include "core/ops/metrics.hpp"
#include "core/runtime/run_on.hpp"

namespace g2a::upstream {
namespace asio = boost::asio;

namespace {

// One socket curl asked us to watch. The descriptor never owns the fd: curl closes it,
// after telling us CURL_POLL_REMOVE, when we release it.
struct Watch {
  explicit Watch(asio::io_context::executor_type ex, curl_socket_t fd) : sd(ex, fd), fd(fd) {}
  asio::posix::stream_descriptor sd;
  curl_socket_t fd;
  int wanted = 0;  // CURL_POLL_IN / OUT / INOUT
  bool reading = false;
  bool writing = false;
  bool alive = true;
};

}  // namespace

struct CurlDriver::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Strand& strand) : io(io), strand(strand), timer(strand) {
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
  }
  ~Impl() {
    for (auto& [fd, w] : watches) {
      w->alive = false;
      w->sd.release();
    }
    for (auto& [easy, e] : entries) curl_multi_remove_handle(multi, easy);
    curl_multi_cleanup(multi);
  }

  struct Entry {
    Done done;
    bool keep_attached = false;
    bool finished = false;
  };

  asio::io_context& io;
  Strand& strand;
  asio::steady_timer timer;
  CURLM* multi = nullptr;
  int running = 0;
  std::map<curl_socket_t, std::shared_ptr<Watch>> watches;
  std::map<CURL*, Entry> entries;

  static int on_socket(CURL*, curl_socket_t fd, int what, void* userp, void*) {
    auto* self = static_cast<Impl*>(userp);
    if (what == CURL_POLL_REMOVE) {
      auto it = self->watches.find(fd);
      if (it != self->watches.end()) {
        it->second->alive = false;
        boost::system::error_code ec;
        it->second->sd.cancel(ec);
        it->second->sd.release();
        self->watches.erase(it);
      }
      return 0;
    }
    auto& w = self->watches[fd];
    if (!w) w = std::make_shared<Watch>(self->io.get_executor(), fd);
    w->wanted = what;
    self->arm(w);
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* userp) {
    auto* self = static_cast<Impl*>(userp);
    if (timeout_ms < 0) {
      self->timer.cancel();
      return 0;
    }
    self->timer.expires_after(std::chrono::milliseconds(timeout_ms));
    self->timer.async_wait([s = self->shared_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &s->running);
      s->collect();
    });
    return 0;
  }

  void arm(const std::shared_ptr<Watch>& w) {
    auto self = shared_from_this();
    if ((w->wanted & CURL_POLL_IN) && !w->reading) {
      w->reading = true;
      w->sd.async_wait(asio::posix::stream_descriptor::wait_read,
                       asio::bind_executor(strand, [self, w](const boost::system::error_code& ec) {
                         w->reading = false;
                         self->ready(w, ec, CURL_CSELECT_IN);
                       }));
    }
    if ((w->wanted & CURL_POLL_OUT) && !w->writing) {
      w->writing = true;
      w->sd.async_wait(asio::posix::stream_descriptor::wait_write,
                       asio::bind_executor(strand, [self, w](const boost::system::error_code& ec) {
                         w->writing = false;
                         self->ready(w, ec, CURL_CSELECT_OUT);
                       }));
    }
  }

  void ready(const std::shared_ptr<Watch>& w, const boost::system::error_code& ec, int direction) {
    if (!w->alive || ec == asio::error::operation_aborted) return;
    int flags = ec ? CURL_CSELECT_ERR : direction;
    curl_multi_socket_action(multi, w->fd, flags, &running);
    collect();
    if (w->alive) arm(w);
  }

  // Hands finished transfers to their owners.
  void collect() {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      int code = msg->data.result;
      auto it = entries.find(easy);
      if (it == entries.end()) continue;
      Done done = std::move(it->second.done);
      if (it->second.keep_attached && code == CURLE_OK) {
        it->second.finished = true;
      } else {
        curl_multi_remove_handle(multi, easy);
        entries.erase(it);
      }
      if (done) done(code);
    }
  }
};

CurlDriver::CurlDriver(asio::io_context& io) : strand_(asio::make_strand(io)) {
  impl_ = std::make_shared<Impl>(io, strand_);
  auto weak = std::weak_ptr<Impl>(impl_);
  ops::Metrics::global().gauge("g2a_upstream_transfers", "Upstream transfers in progress", "",
                               [weak] {
                                 auto s = weak.lock();
                                 return s ? static_cast<double>(s->running) : 0.0;
                               });
}

CurlDriver::~CurlDriver() {
  ops::Metrics::global().remove_gauge("g2a_upstream_transfers", "");
}

void CurlDriver::start(CURL* easy, Done done, bool keep_attached) {
  asio::post(strand_, [s = impl_, easy, done = std::move(done), keep_attached]() mutable {
    s->entries[easy] = Impl::Entry{std::move(done), keep_attached, false};
    CURLMcode rc = curl_multi_add_handle(s->multi, easy);
    if (rc != CURLM_OK) {
      auto d = std::move(s->entries[easy].done);
      s->entries.erase(easy);
      if (d) d(CURLE_FAILED_INIT);
    }
  });
}

void CurlDriver::retire(CURL* easy, std::shared_ptr<void> owner) {
  asio::post(strand_, [s = impl_, easy, owner = std::move(owner)]() mutable {
    auto it = s->entries.find(easy);
    if (it != s->entries.end()) {
      curl_multi_remove_handle(s->multi, easy);
      s->entries.erase(it);
    }
    curl_easy_cleanup(easy);
    owner.reset();
  });
}

void CurlDriver::resume(CURL* easy) {
  asio::post(strand_, [s = impl_, easy] {
    if (s->entries.count(easy)) curl_easy_pause(easy, CURLPAUSE_CONT);
  });
}

void CurlDriver::abort_all() {
  asio::post(strand_, [s = impl_] {
    std::vector<std::pair<CURL*, Done>> ended;
    for (auto it = s->entries.begin(); it != s->entries.end();) {
      if (it->second.finished) {  // a connection kept after its transfer: its owner retires it
        ++it;
        continue;
      }
      curl_multi_remove_handle(s->multi, it->first);
      ended.emplace_back(it->first, std::move(it->second.done));
      it = s->entries.erase(it);
    }
    for (auto& [easy, done] : ended)
      if (done) done(CURLE_ABORTED_BY_CALLBACK);
  });
}

size_t CurlDriver::active() const {
  return static_cast<size_t>(impl_->running);
}

asio::awaitable<bool> CurlDriver::quiesce(std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  for (;;) {
    auto probe = runtime::run_on(strand_, [s = impl_] { return s->entries.empty(); });
    if (co_await std::move(probe)) co_return true;
    if (std::chrono::steady_clock::now() >= until) co_return false;
    // Retirements are posted to the strand; give them a moment to run.
    pause.expires_after(std::chrono::milliseconds(5));
    co_await pause.async_wait(asio::use_awaitable);
  }
}

}  // namespace g2a::upstream
