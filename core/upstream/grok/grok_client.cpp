#include "core/upstream/grok/grok_client.hpp"

#include <openssl/rand.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/ops/mask.hpp"
#include "core/upstream/grok/headers.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::upstream::grok {
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Reads a small non-2xx answer and turns it into an UpstreamError.
asio::awaitable<Diagnosis> read_failure(HttpStream& stream, const HttpHead& head) {
  std::string body;
  try {
    while (auto chunk = co_await stream.next(10s)) {
      body += *chunk;
      if (body.size() > 64 * 1024) break;
    }
  } catch (const TransportError&) {
  }
  co_return diagnose_http(head.status, body, head.headers);
}

std::string string_at(const json::value& v, std::initializer_list<const char*> path) {
  const json::value* cur = &v;
  for (const char* key : path) {
    if (!cur->is_object()) return "";
    cur = cur->as_object().if_contains(key);
    if (!cur) return "";
  }
  return cur->is_string() ? std::string(cur->as_string()) : "";
}

std::string boundary() {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char raw[16];
  RAND_bytes(raw, sizeof raw);
  std::string b = "----WebKitFormBoundary";
  for (unsigned char c : raw) b.push_back(kAlnum[c % 62]);
  return b;
}

}  // namespace

GrokClient::GrokClient(HttpClient& http, SignerHost& signer, Endpoints endpoints)
    : http_(http), signer_(signer), endpoints_(std::move(endpoints)) {}

HttpRequest GrokClient::request(const Egress& egress, std::string url) const {
  HttpRequest r;
  r.url = std::move(url);
  r.proxy = egress.proxy_url;
  r.tls = endpoints_.tls;
  return r;
}

std::string GrokClient::ws_base() const {
  const auto& u = endpoints_.upstream;
  if (u.rfind("https://", 0) == 0) return "wss://" + u.substr(8);
  if (u.rfind("http://", 0) == 0) return "ws://" + u.substr(7);
  return u;
}

asio::awaitable<SessionInfo> GrokClient::session(Account account, Egress egress) {
  auto req = request(egress, endpoints_.upstream + "/api/auth/session");
  req.headers = build_headers(CallKind::kAuthSession, account, egress);
  auto stream = http_.open(std::move(req));
  auto head = co_await stream->head(30s);
  if (head.status < 200 || head.status >= 300)
    throw UpstreamError(co_await read_failure(*stream, head));
  std::string body;
  while (auto chunk = co_await stream->next(30s)) body += *chunk;
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    throw UpstreamError(Diagnosis{Problem::kRejected, head.status, "session answer is not JSON"});
  std::string status = string_at(v, {"status"});
  if (status == "unauthenticated")
    throw UpstreamError(
        Diagnosis{Problem::kUnauthenticated, head.status, "session unauthenticated"});
  if (status == "blocked")
    throw UpstreamError(Diagnosis{Problem::kBlocked, head.status, "session blocked"});
  SessionInfo info;
  // Current shape session.userId; older ones user.id, userId, sub.
  for (auto path : {std::initializer_list<const char*>{"session", "userId"},
                    {"user", "id"},
                    {"userId"},
                    {"sub"}}) {
    info.user_id = string_at(v, path);
    if (!info.user_id.empty()) break;
  }
  info.email = string_at(v, {"session", "email"});
  if (info.user_id.empty())
    throw UpstreamError(
        Diagnosis{Problem::kUnauthenticated, head.status, "session has no user id"});
  {
    std::lock_guard lock(mutex_);
    user_ids_[account.sso] = info.user_id;
  }
  co_return info;
}

asio::awaitable<std::string> GrokClient::user_id(Account account, Egress egress) {
  {
    std::lock_guard lock(mutex_);
    auto it = user_ids_.find(account.sso);
    if (it != user_ids_.end()) co_return it->second;
  }
  auto info = co_await session(std::move(account), std::move(egress));
  co_return info.user_id;
}

asio::awaitable<std::unique_ptr<HttpStream>> GrokClient::rest(
    Account account, Egress egress, std::string path, std::string body, CallKind kind,
    std::chrono::milliseconds first_byte) {
  std::string pathname = path.substr(0, path.find('?'));
  for (int attempt = 0;; ++attempt) {
    HeaderInput in;
    if (needs_statsig(kind)) in.statsig = co_await signer_.sign("POST", pathname);
    const auto& base = kind == CallKind::kAccountsGrpc ? endpoints_.accounts : endpoints_.upstream;
    auto req = request(egress, base + path);
    req.method = "POST";
    req.body = body;
    req.headers = build_headers(kind, account, egress, in);
    auto stream = http_.open(std::move(req));
    auto head = co_await stream->head(first_byte);
    if (head.status >= 200 && head.status < 300) co_return stream;
    Diagnosis d = co_await read_failure(*stream, head);
    bool stale = d.problem == Problem::kAntiBot || d.problem == Problem::kPageOutOfDate;
    // Only a signed call can be mended by signing it again.
    if (!stale || attempt > 0 || !needs_statsig(kind)) throw UpstreamError(std::move(d));
    // A stale or refused signature: a new site build, or a value grok.com no longer
    // takes. Re-scrape, re-sign, retry once.
    co_await signer_.refresh(true);
  }
}

asio::awaitable<std::string> GrokClient::rest_json(Account account, Egress egress, std::string path,
                                                   std::string body, CallKind kind) {
  auto answer = co_await rest_answer(std::move(account), std::move(egress), std::move(path),
                                     std::move(body), kind);
  co_return std::move(answer.body);
}

asio::awaitable<HttpResponse> GrokClient::rest_answer(Account account, Egress egress,
                                                      std::string path, std::string body,
                                                      CallKind kind) {
  auto stream = co_await rest(std::move(account), std::move(egress), std::move(path),
                              std::move(body), kind, 30s);
  HttpResponse out;
  out.head = co_await stream->head(30s);  // already arrived: rest() waited for it
  while (auto chunk = co_await stream->next(30s)) {
    out.body += *chunk;
    if (out.body.size() > (4u << 20))
      throw TransportError(TransportError::Kind::kTooLarge, 0, "answer too large");
  }
  co_return out;
}

asio::awaitable<UploadedFile> GrokClient::upload(Account account, Egress egress,
                                                 std::string filename, std::string mime,
                                                 std::string bytes, bool imagine) {
  std::string b = boundary();
  std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                     filename + "\"\r\nContent-Type: " + mime + "\r\n\r\n" + bytes + "\r\n";
  if (imagine)
    body += "--" + b +
            "\r\nContent-Disposition: form-data; "
            "name=\"file_source\"\r\n\r\nIMAGINE_SELF_UPLOAD_FILE_SOURCE\r\n";
  body += "--" + b + "--\r\n";
  HeaderInput in;
  in.content_type = "multipart/form-data; boundary=" + b;
  auto req = request(egress, endpoints_.upstream + "/http/upload-file-v2/direct");
  req.method = "POST";
  req.body = std::move(body);
  req.headers = build_headers(imagine ? CallKind::kUploadImagine : CallKind::kUploadChat, account,
                              egress, in);
  auto response = co_await http_.fetch(std::move(req), 60s, 1u << 20);
  if (response.head.status < 200 || response.head.status >= 300)
    throw UpstreamError(diagnose_http(response.head.status, response.body, response.head.headers));
  json::error_code ec;
  auto v = json::parse(response.body, ec);
  if (ec || !v.is_object())
    throw UpstreamError(
        Diagnosis{Problem::kRejected, response.head.status, "upload answer is not JSON"});
  if (auto* err = v.as_object().if_contains("terminalError"); err && !err->is_null())
    throw UpstreamError(Diagnosis{Problem::kRejected, response.head.status,
                                  "upload refused: " + json::serialize(*err)});
  UploadedFile f;
  for (const char* key : {"fileMetadataId", "fileId"}) {
    f.file_metadata_id = string_at(v, {"fileMetadata", key});
    if (!f.file_metadata_id.empty()) break;
  }
  if (f.file_metadata_id.empty()) f.file_metadata_id = string_at(v, {"uploadId"});
  f.file_uri = string_at(v, {"fileMetadata", "fileUri"});
  if (f.file_metadata_id.empty())
    throw UpstreamError(
        Diagnosis{Problem::kRejected, response.head.status, "upload gave no file id"});
  co_return f;
}

asio::awaitable<std::unique_ptr<WebSocket>> GrokClient::open_chat_gateway(
    Account account, Egress egress, std::chrono::milliseconds handshake_timeout) {
  if (account.user_id.empty()) account.user_id = co_await user_id(account, egress);
  WsOptions o;
  o.url = ws_base() + "/ws/mgw/?uid=" + account.user_id;
  o.proxy = egress.proxy_url;
  o.tls = endpoints_.tls;
  o.headers = build_headers(CallKind::kWebSocket, account, egress);
  o.max_message = 16u << 20;
  o.handshake_timeout = std::min(handshake_timeout, std::chrono::milliseconds(20000));
  Diagnosis refused;
  try {
    co_return co_await WebSocket::connect(http_, std::move(o));
  } catch (const WsHandshakeError& e) {
    refused = diagnose_http(e.status, e.body, e.headers);
  }
  throw UpstreamError(refused);
}

asio::awaitable<std::unique_ptr<WebSocket>> GrokClient::open_imagine(Account account,
                                                                     Egress egress) {
  WsOptions o;
  o.url = ws_base() + "/ws/imagine/listen";
  o.proxy = egress.proxy_url;
  o.tls = endpoints_.tls;
  account.user_id.clear();  // the imagine socket takes no x-userid
  o.headers = build_headers(CallKind::kWebSocket, account, egress);
  o.max_message = 64u << 20;
  o.handshake_timeout = 30s;
  Diagnosis refused;
  try {
    co_return co_await WebSocket::connect(http_, std::move(o));
  } catch (const WsHandshakeError& e) {
    refused = diagnose_http(e.status, e.body, e.headers);
  }
  throw UpstreamError(refused);
}

std::unique_ptr<HttpStream> GrokClient::asset(const Account& account, const Egress& egress,
                                              const std::string& path_or_url) {
  std::string url = path_or_url;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    url = endpoints_.assets + (url.rfind('/', 0) == 0 ? "" : "/") + url;
  std::optional<Egress> other = asset_egress_ ? asset_egress_(account.sso) : std::nullopt;
  const Egress& via = other ? *other : egress;
  auto req = request(via, url);
  req.headers = build_headers(CallKind::kAsset, account, via);
  return http_.open(std::move(req));
}

}  // namespace g2a::upstream::grok
