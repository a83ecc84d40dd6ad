#include "core/media/imagine.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>

#include <cmath>
#include <map>

#include "core/runtime/clock.hpp"
#include "core/upstream/grok/headers.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::media {
namespace asio = boost::asio;
namespace json = boost::json;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;
using upstream::grok::UpstreamError;

namespace {

std::string decode_base64(std::string_view in) {
  // Blobs may come as data: URLs.
  if (auto comma = in.find("base64,"); comma != std::string_view::npos) in.remove_prefix(comma + 7);
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::decoded_size(in.size()), '\0');
  auto [written, read] = b64::decode(out.data(), in.data(), in.size());
  out.resize(written);
  return out;
}

std::string str(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

struct Slot {
  int64_t order = 0;
  std::string blob;  // the final frame's
  std::string url;
  bool final_image = false;
  bool completed = false;
  bool moderated = false;
};

}  // namespace

std::string aspect_ratio_for_size(std::string_view size) {
  if (size.empty() || size == "auto") return "1:1";
  auto x = size.find('x');
  if (x == std::string_view::npos || x == 0 || x + 1 >= size.size()) return "";
  double w = 0, h = 0;
  try {
    size_t used = 0;
    std::string ws(size.substr(0, x)), hs(size.substr(x + 1));
    w = std::stod(ws, &used);
    if (used != ws.size()) return "";
    h = std::stod(hs, &used);
    if (used != hs.size()) return "";
  } catch (const std::exception&) {
    return "";
  }
  if (!(w > 0) || !(h > 0)) return "";
  // The spec's ratios; 1792x1024 is nearest 16:9, 1536x1024 exactly 3:2.
  static constexpr std::pair<const char*, double> kRatios[] = {
      {"1:1", 1.0},      {"16:9", 16.0 / 9},   {"9:16", 9.0 / 16},   {"4:3", 4.0 / 3},
      {"3:4", 3.0 / 4},  {"3:2", 1.5},         {"2:3", 2.0 / 3},     {"2:1", 2.0},
      {"1:2", 0.5},      {"19.5:9", 19.5 / 9}, {"9:19.5", 9 / 19.5}, {"20:9", 20.0 / 9},
      {"9:20", 9.0 / 20}};
  double r = std::log(w / h);
  const char* best = "1:1";
  double best_d = 1e9;
  for (const auto& [name, v] : kRatios) {
    double d = std::abs(std::log(v) - r);
    if (d < best_d) best_d = d, best = name;
  }
  return best;
}

asio::awaitable<std::vector<GeneratedImage>> imagine_generate(upstream::grok::GrokClient& grok,
                                                              upstream::grok::Account account,
                                                              upstream::grok::Egress egress,
                                                              ImagineRequest req) {
  auto ws = co_await grok.open_imagine(account, egress);
  int64_t now = runtime::now_ms();
  json::object reset{
      {"type", "conversation.item.create"},
      {"timestamp", now},
      {"item", {{"type", "message"}, {"content", json::array{json::object{{"type", "reset"}}}}}}};
  co_await ws->send_text(json::serialize(reset));
  json::object properties{{"section_count", 0},
                          {"is_kids_mode", false},
                          {"enable_nsfw", false},
                          {"skip_upsampler", false},
                          {"enable_side_by_side", true},
                          {"is_initial", false},
                          {"aspect_ratio", req.aspect_ratio},
                          {"enable_pro", req.pro},
                          {"num_generations", req.n}};
  json::object content{{"requestId", "img_" + upstream::grok::uuid4()},
                       {"text", req.prompt},
                       {"type", "input_text"},
                       {"properties", std::move(properties)}};
  json::object request{{"type", "conversation.item.create"},
                       {"timestamp", now + 1},
                       {"item", {{"type", "message"}, {"content", json::array{content}}}}};
  co_await ws->send_text(json::serialize(request));

  std::map<std::string, Slot> slots;
  auto deadline = std::chrono::steady_clock::now() + req.total;
  std::optional<Diagnosis> failure;
  auto finished = [&] {
    int done = 0;
    for (const auto& [id, s] : slots)
      if (s.completed && (s.moderated || s.final_image)) ++done;
    return done >= req.n;
  };
  while (!finished()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = Diagnosis{Problem::kTransport, 0, "imagine round timed out"};
      break;
    }
    auto msg = co_await ws->receive(std::min(left, req.idle));
    if (!msg) break;
    json::value v;
    try {
      v = json::parse(*msg);
    } catch (const std::exception&) {
      continue;  // not ours to judge: binary or garbled frames are skipped
    }
    if (!v.is_object()) continue;
    const auto& f = v.as_object();
    std::string type = str(f, "type");
    if (type == "error") {
      failure = upstream::grok::diagnose_stream_error(str(f, "err_code"), str(f, "err_msg"));
      break;
    }
    std::string id = str(f, "image_id");
    if (id.empty()) id = str(f, "id");
    if (id.empty()) continue;
    Slot& s = slots[id];
    if (auto* o = f.if_contains("order"); o && o->is_int64()) s.order = o->as_int64();
    if (type == "image") {
      auto* pct = f.if_contains("percentage_complete");
      bool final_frame = !pct || (pct->is_number() && pct->to_number<double>() >= 100);
      if (!final_frame) continue;
      s.final_image = true;
      s.blob = str(f, "blob");
      s.url = str(f, "url");
    } else if (type == "json" && str(f, "current_status") == "completed") {
      s.completed = true;
      auto* m = f.if_contains("moderated");
      s.moderated = m && m->is_bool() && m->as_bool();
    }
  }
  co_await ws->close();
  if (failure) throw UpstreamError(*failure);

  std::vector<const Slot*> ready;
  for (const auto& [id, s] : slots)
    if (s.completed && !s.moderated && s.final_image && (!s.blob.empty() || !s.url.empty()))
      ready.push_back(&s);
  std::sort(ready.begin(), ready.end(),
            [](const Slot* a, const Slot* b) { return a->order < b->order; });
  if (ready.size() > static_cast<size_t>(req.n)) ready.resize(static_cast<size_t>(req.n));
  std::vector<GeneratedImage> images;
  for (const Slot* s : ready) {
    if (!s->blob.empty()) {
      std::string bytes = decode_base64(s->blob);
      if (!bytes.empty()) {
        images.push_back(GeneratedImage{std::move(bytes), ""});
        continue;
      }
    }
    if (s->url.empty()) continue;
    auto image = co_await download_image(grok, account, egress, s->url, req.idle);
    images.push_back(std::move(image));
  }
  if (images.empty()) {
    bool moderated = false;
    for (const auto& [id, s] : slots) moderated = moderated || s.moderated;
    throw UpstreamError(Diagnosis{
        moderated ? Problem::kModerated : Problem::kServerError, 0,
        moderated ? "every image was moderated" : "the imagine round ended without an image"});
  }
  co_return images;
}

}  // namespace g2a::media
