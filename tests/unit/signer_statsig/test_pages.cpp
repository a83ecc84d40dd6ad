#include "test_pages.hpp"

#include <fmt/format.h>

#include "vector_data.hpp"

namespace g2a::test::pages {
namespace {

std::string number(double v) {
  return fmt::format("{}", static_cast<long long>(v));
}

}  // namespace

std::string curves_json(const statsig::CurveTable& table) {
  std::string out = "[";
  for (size_t g = 0; g < table.size(); ++g) {
    out += g ? ",[" : "[";
    for (size_t s = 0; s < table[g].size(); ++s) {
      const auto& c = table[g][s];
      out += s ? "," : "";
      out += "{\"color\":[";
      for (size_t i = 0; i < 6; ++i) out += (i ? "," : "") + number(c.color[i]);
      out += "],\"deg\":" + number(c.deg) + ",\"bezier\":[";
      for (size_t i = 0; i < 4; ++i) out += (i ? "," : "") + number(c.bezier[i]);
      out += "]}";
    }
    out += "]";
  }
  return out + "]";
}

std::string vector_curves_json() {
  return curves_json(statsig::parse_curves_paths(vector::kPaths));
}

std::string js_string_body(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string page(const PageSpec& spec) {
  std::string html =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>"
      "<meta name=\"viewport\" content=\"width=device-width\"/>";
  html += spec.meta_tag;
  for (const auto& src : spec.scripts) html += "<script src=\"" + src + "\" async=\"\"></script>";
  html += "</head><body><div id=\"root\"></div>";
  html += "<script>self.__next_f.push([0])</script>";
  if (!spec.curves_json.empty()) {
    // The table spans two pushes, as a long RSC row may.
    std::string row =
        "5:[\"$\",\"div\",null,{\"className\":\"anim\",\"curves\":" + spec.curves_json +
        ",\"children\":\"$L6\"}]\n";
    size_t half = row.size() / 2;
    html +=
        "<script>self.__next_f.push([1,\"" + js_string_body(row.substr(0, half)) + "\"])</script>";
    html += "<script>self.__next_f.push([1,\"" + js_string_body(row.substr(half)) + "\"])</script>";
  }
  html += "<script>self.__next_f.push([1,\"6:null\\n\"])</script></body></html>";
  return html;
}

std::string meta_tag(const std::string& seed_b64) {
  return "<META content='" + seed_b64 + "' data-rh=true NAME=\"Grok-Site-Verification\" />";
}

PageSpec vector_page() {
  return {meta_tag(vector::kSeed),
          vector_curves_json(),
          {"/_next/static/chunks/webpack-0a1b2c.js", "/_next/static/chunks/main-app-3d4e5f.js?v=2",
           "https://grok.test/_next/static/chunks/app/page-9f8e7d.js",
           "/_next/static/css/app.css.js.map", "/other/thing.js"}};
}

std::string generator_chunk(int group, int segment, std::array<int, 3> time) {
  return fmt::format(
      "\"use strict\";(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[7301],{{"
      "1645e3:(e,t,n)=>{{n.d(t,{{A:()=>o}});var r=n(2265);function o(e,t){{let "
      "a=t[e[{0}]%4][e[{1}]%16],i=Math.round(parseInt(e[{2}],16)%16*(parseInt(e[{3}],16)%16)"
      "*(parseInt(e[{4}],16)%16)/10)*10;return r.animate(a,i)}}}}}}]);",
      group, segment, time[0], time[1], time[2]);
}

std::string decoy_chunk() {
  return "\"use strict\";(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[42],{"
         "9731:(e,t,n)=>{let r=q[w[3]%4][w[7]%16];return parseInt(w[1],16)+parseInt(w[2],16)+"
         "parseInt(w[4],16)+16450}}]);";
}

std::string loader_chunk(const std::string& generator_path) {
  return "(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[88],{5120:(e,t,n)=>{"
         "let r=()=>Promise.all([n.e(7301)]).then(n.bind(n,1645e3));n.u=e=>\"" +
         generator_path + "\";}}]);";
}

void serve_vector_site(FakeHost& host) {
  std::string html = page(vector_page());
  host.serve(kBase + "/index", {404, html});
  host.serve(kBase + "/", {200, html});
  host.serve(kBase + "/_next/static/chunks/webpack-0a1b2c.js", {200, decoy_chunk()});
  host.serve(kBase + "/_next/static/chunks/main-app-3d4e5f.js?v=2", {200, "console.log(1)"});
  host.serve(kBase + "/_next/static/chunks/app/page-9f8e7d.js",
             {200, generator_chunk(vector::kGroup, vector::kSegment,
                                   {vector::kTime[0], vector::kTime[1], vector::kTime[2]})});
}

}  // namespace g2a::test::pages
