// Real proxy servers for transport tests: tinyproxy (HTTP CONNECT) and microsocks
// (SOCKS5), each on a free loopback port, stopped with the object.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace g2a::test {

class ProxyProcess {
 public:
  enum class Kind { kTinyproxy, kMicrosocks };
  // nullptr with a reason when the proxy program is not installed.
  static std::unique_ptr<ProxyProcess> start(Kind kind, std::string* why_not);
  ~ProxyProcess();

  // The proxy URL for curl: http://127.0.0.1:P or socks5h://127.0.0.1:P.
  const std::string& url() const { return url_; }

 private:
  ProxyProcess() = default;
  pid_t pid_ = -1;
  std::string url_;
  std::unique_ptr<TempDir> dir_;
};

}  // namespace g2a::test
