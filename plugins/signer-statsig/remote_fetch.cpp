#include "remote_fetch.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <mutex>

#include "base64.hpp"
#include "requests.hpp"
#include "url_util.hpp"

namespace g2a::statsig {
namespace {

constexpr size_t kTokenBytes = 70;

struct Batch {
  std::mutex mu;
  size_t pending = 0;
  RemoteFetchResult result;
  std::function<void(RemoteFetchResult)> done;
};

}  // namespace

std::optional<std::string> parse_remote_answer(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* id = v.as_object().if_contains("x-statsig-id");
  if (!id || !id->is_string()) return std::nullopt;
  std::string value(id->as_string());
  auto bytes = base64_decode(value);
  if (!bytes || bytes->size() != kTokenBytes) return std::nullopt;
  return value;
}

RemoteTarget target_of_key(std::string_view key) {
  size_t space = key.find(' ');
  return {std::string(key.substr(0, space)),
          space == std::string_view::npos ? "/" : std::string(key.substr(space + 1))};
}

void fetch_remote(const std::shared_ptr<HostHttp>& http, const SignerConfig& cfg,
                  const RemoteTarget& target, const std::string& meta_content, size_t count,
                  std::function<void(RemoteFetchResult)> done) {
  auto batch = std::make_shared<Batch>();
  batch->pending = count;
  batch->done = std::move(done);
  if (count == 0) {
    batch->done({});
    return;
  }
  HttpSpec spec = remote_request(cfg, target, meta_content);
  for (size_t i = 0; i < count; ++i) {
    http->send(spec, [batch, url = url_redacted(cfg.remote_url)](HttpResult r) {
      std::function<void(RemoteFetchResult)> finish;
      RemoteFetchResult out;
      {
        std::lock_guard lock(batch->mu);
        std::optional<std::string> value;
        if (r.ok_2xx()) value = parse_remote_answer(r.body);
        if (value)
          batch->result.values.push_back(std::move(*value));
        else
          batch->result.error =
              r.ok_2xx() ? fmt::format("POST {}: no 70-byte x-statsig-id in the answer", url)
                         : fmt::format("POST {}: {}", url, r.describe());
        if (--batch->pending == 0) {
          finish = std::move(batch->done);
          out = std::move(batch->result);
        }
      }
      if (finish) finish(std::move(out));
    });
  }
}

}  // namespace g2a::statsig
