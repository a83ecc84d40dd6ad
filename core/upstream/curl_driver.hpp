// libcurl's multi interface driven by Asio: every transfer of the gateway runs on one
// CURLM owned by this driver, without a thread per transfer. All curl calls happen on
// the driver's strand; public methods may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

typedef void CURL;

namespace g2a::upstream {

class CurlDriver {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  using Done = std::function<void(int curl_code)>;

  explicit CurlDriver(boost::asio::io_context& io);
  ~CurlDriver();
  CurlDriver(const CurlDriver&) = delete;
  CurlDriver& operator=(const CurlDriver&) = delete;

  // Starts a configured easy handle; done(CURLcode) runs on the strand when it ends.
  // The handle stays owned by the caller; after done it is no longer in the multi
  // unless keep_attached (CONNECT_ONLY connections live on inside the multi).
  void start(CURL* easy, Done done, bool keep_attached = false);
  // Removes a handle (running or attached) from the multi, cleans it up and then drops
  // owner (what the handle pointed into: header lists, buffers); done is not called.
  void retire(CURL* easy, std::shared_ptr<void> owner);
  // Resumes a paused transfer (after its write callback returned CURL_WRITEFUNC_PAUSE).
  void resume(CURL* easy);

  // At shutdown: ends every transfer still running (a held stream, a slow upload) with
  // CURLE_ABORTED_BY_CALLBACK, so the coroutines waiting on them resume, unwind and free
  // what they hold instead of staying suspended when the loop stops.
  void abort_all();

  Strand& strand() { return strand_; }
  size_t active() const;
  // Completes once no handle is left in the multi (or the deadline passed): at shutdown,
  // after every transfer was cancelled, so that curl cleans up before the loop stops.
  boost::asio::awaitable<bool> quiesce(std::chrono::milliseconds deadline);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  Strand strand_;
};

}  // namespace g2a::upstream
