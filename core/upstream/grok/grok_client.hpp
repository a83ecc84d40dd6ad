// Every call of grok.com's current protocol, made as one account through one egress:
// identity, REST (signed, with one re-sign on a stale signature), uploads, the chat and
// imagine WebSockets, and asset downloads. Payloads and event parsing are not here:
// they belong to the model adapters.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/upstream/grok/call_kind.hpp"
#include "core/upstream/grok/identity.hpp"
#include "core/upstream/grok/signer_host.hpp"
#include "core/upstream/http_client.hpp"
#include "core/upstream/websocket.hpp"

namespace g2a::upstream::grok {

struct Endpoints {
  std::string upstream = "https://grok.com";       // grok.upstream_url
  std::string assets = "https://assets.grok.com";  // grok.assets_url
  TlsOptions tls;
  std::string accounts = "https://accounts.x.ai";  // grok.accounts_url
};

struct SessionInfo {
  std::string user_id;
  std::string email;
};

struct UploadedFile {
  std::string file_metadata_id;
  std::string file_uri;  // relative to the assets host
};

class GrokClient {
 public:
  GrokClient(HttpClient& http, SignerHost& signer, Endpoints endpoints);

  // GET /api/auth/session. Throws UpstreamError (kUnauthenticated, kBlocked, ...).
  boost::asio::awaitable<SessionInfo> session(Account account, Egress egress);
  // The account's user id, from a cache or /api/auth/session.
  boost::asio::awaitable<std::string> user_id(Account account, Egress egress);

  // POST a /rest/ path (or a gRPC-web method) with its body, freshly signed when the
  // kind needs it; kAccountsGrpc calls go to the accounts host. A 403 code 7 on a signed
  // call refreshes the signer and retries once. Returns the stream once a 2xx answer began; any
  // other answer throws UpstreamError; no answer throws TransportError.
  boost::asio::awaitable<std::unique_ptr<HttpStream>> rest(Account account, Egress egress,
                                                           std::string path, std::string json,
                                                           CallKind kind,
                                                           std::chrono::milliseconds first_byte);
  // The same for small answers (rate limits, quotas, account preparation).
  boost::asio::awaitable<std::string> rest_json(Account account, Egress egress, std::string path,
                                                std::string json, CallKind kind);
  // The same with the answer's headers (gRPC-web may put grpc-status there).
  boost::asio::awaitable<HttpResponse> rest_answer(Account account, Egress egress, std::string path,
                                                   std::string body, CallKind kind);

  // POST /http/upload-file-v2/direct (multipart); imagine uploads carry file_source.
  boost::asio::awaitable<UploadedFile> upload(Account account, Egress egress, std::string filename,
                                              std::string mime, std::string bytes, bool imagine);

  // wss://.../ws/mgw/?uid=<user id> (the account's user_id must be known). The handshake
  // gets at most handshake_timeout (20 s, spec §2.1).
  boost::asio::awaitable<std::unique_ptr<WebSocket>> open_chat_gateway(
      Account account, Egress egress,
      std::chrono::milliseconds handshake_timeout = std::chrono::seconds(20));
  // wss://.../ws/imagine/listen
  boost::asio::awaitable<std::unique_ptr<WebSocket>> open_imagine(Account account, Egress egress);

  // GET an asset (a path relative to the assets host, or an absolute URL of it) with the
  // generating account's cookies, through the asset egress when one is set, else egress.
  std::unique_ptr<HttpStream> asset(const Account& account, const Egress& egress,
                                    const std::string& path_or_url);

  // The egress of asset downloads for an account when it is not the call's own
  // (grok.cache_proxy_url); nullopt keeps the call's egress. Set once, before serving.
  using AssetEgress = std::function<std::optional<Egress>(const std::string& sso)>;
  void set_asset_egress(AssetEgress fn) { asset_egress_ = std::move(fn); }

  const Endpoints& endpoints() const { return endpoints_; }

 private:
  HttpRequest request(const Egress& egress, std::string url) const;
  std::string ws_base() const;

  HttpClient& http_;
  SignerHost& signer_;
  Endpoints endpoints_;
  std::mutex mutex_;
  std::map<std::string, std::string> user_ids_;  // sso -> user id
  AssetEgress asset_egress_;
};

}  // namespace g2a::upstream::grok
