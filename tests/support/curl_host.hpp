// A test host whose HTTP service is real: each host->http_request runs libcurl on its own
// thread and calls done from there, as the gateway's transport calls done from its threads.
// (The request's proxy_url is recorded in sent() but not used.)
#pragma once

#include <grok2api/plugin.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/test_host.hpp"

namespace g2a::test {

class CurlHost {
 public:
  // What a plugin asked for, as it asked (the proxy is recorded, not used).
  struct Sent {
    std::string method, url, proxy_url;
    uint32_t timeout_ms = 0;
  };

  CurlHost();
  ~CurlHost();  // waits for every request thread
  CurlHost(const CurlHost&) = delete;
  CurlHost& operator=(const CurlHost&) = delete;

  const g2a_host_v1* host() const { return &table_; }
  g2a_host_ctx* ctx() { return base_.ctx(); }
  TestHost& base() { return base_; }
  std::vector<Sent> sent() const;

 private:
  static g2a_status http_request(g2a_host_ctx* ctx, const g2a_http_request* req,
                                 g2a_http_done_fn done, void* user, uint64_t* out_id);

  TestHost base_;
  g2a_host_v1 table_;
  mutable std::mutex mu_;
  std::vector<Sent> sent_;
  std::vector<std::thread> threads_;
};

}  // namespace g2a::test
