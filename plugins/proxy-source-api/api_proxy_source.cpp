#include "api_proxy_source.hpp"

#include <memory>
#include <string>

#include "proxy_list_parser.hpp"
#include "source_config.hpp"

namespace g2a::proxy_source_api {
namespace {

// One refresh in flight: what the HTTP completion needs to answer it.
struct Fetch {
  g2a::Host host;
  g2a_proxy_emit_fn emit;
  g2a_done_fn done;
  void* user;
  std::string url_shown;  // without credentials or query

  void finish(g2a_status st, const std::string& message) const {
    done(user, st, g2a::str(message));
  }
};

// A short, printable piece of an error body for the message.
std::string snippet(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 120)) out.push_back(c >= 0x20 && c < 0x7f ? c : ' ');
  if (body.size() > 120) out += "...";
  return out;
}

void on_answer(void* self, g2a_status st, const g2a_http_response* resp) {
  std::unique_ptr<Fetch> f(static_cast<Fetch*>(self));
  std::string where = "proxy pool API " + f->url_shown;
  if (st != G2A_OK || !resp || resp->status == 0) {
    std::string error = resp ? std::string(g2a::view(resp->error)) : std::string();
    return f->finish(st == G2A_OK ? G2A_IO_ERROR : st,
                     where + ": " + (error.empty() ? "no answer" : error));
  }
  std::string_view body = g2a::view(resp->body);
  if (resp->status < 200 || resp->status > 299) {
    std::string text = snippet(body);
    return f->finish(G2A_IO_ERROR, where + " answered HTTP " + std::to_string(resp->status) +
                                       (text.empty() ? "" : ": " + text));
  }
  ProxyList list = parse_proxy_list(body);
  if (list.urls.empty())
    return f->finish(G2A_PARSE_FAILURE, where + ": " + empty_list_reason(list));
  if (list.rejected)
    f->host.warn(where + ": skipped " + std::to_string(list.rejected) + " unusable entr" +
                 (list.rejected == 1 ? "y" : "ies") + " (" + list.first_problem + ")");
  for (const auto& url : list.urls) g2a::emit_proxy(f->emit, f->user, url);
  f->finish(G2A_OK, std::to_string(list.urls.size()) + " proxies from " + where);
}

}  // namespace

ApiProxySource::ApiProxySource(g2a::Host host) : host_(host) {
  SourceConfig c = parse_source_config(host_.config_json());  // refuses a broken table now
  if (c.url.empty())
    host_.info(
        "no url configured (grok.proxy_pool_url or [plugins.proxy-source-api] url): "
        "refresh answers an empty list");
  else
    host_.info("proxy pool API " + describe_url(c.url));
}

void ApiProxySource::refresh(g2a_proxy_emit_fn emit, g2a_done_fn done, void* user) {
  SourceConfig c;
  try {
    c = parse_source_config(host_.config_json());
  } catch (const std::exception& e) {
    done(user, G2A_BAD_ARGUMENT, g2a::str(std::string("proxy-source-api config: ") + e.what()));
    return;
  }
  if (c.url.empty()) {  // inert
    done(user, G2A_OK, g2a::str("no url configured"));
    return;
  }
  auto fetch = std::make_unique<Fetch>(Fetch{host_, emit, done, user, describe_url(c.url)});
  g2a_http_header accept{g2a::str("Accept"), g2a::str("application/json, text/plain, */*")};
  g2a_http_request req{sizeof(g2a_http_request),
                       g2a::str("GET"),
                       g2a::str(c.url),
                       &accept,
                       1,
                       g2a::str(""),
                       c.timeout_ms,
                       g2a::str("")};  // direct: the pool API is not grok.com
  g2a_status st = host_.raw()->http_request(host_.ctx(), &req, &on_answer, fetch.get(), nullptr);
  if (st != G2A_OK) {
    done(user, st,
         g2a::str("proxy pool API " + fetch->url_shown + ": the request could not start (status " +
                  std::to_string(static_cast<int>(st)) + ")"));
    return;
  }
  fetch.release();  // on_answer owns it now
}

}  // namespace g2a::proxy_source_api
