// The scrapers read whatever the network returns: arbitrary text must never crash them
// (run under AddressSanitizer), and what they find must be well-formed.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "base64.hpp"
#include "chunk_scrape.hpp"
#include "page_fetch.hpp"
#include "rsc_payload.hpp"

namespace g2a::test {
namespace {

using namespace g2a::statsig;

// Text made of the fragments the scrapers look for, in any order.
rc::Gen<std::string> markup() {
  return rc::gen::map(
      rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
          "<meta", "<script", " src=\"", "/_next/static/chunks/", ".js", "\"", "'", ">", "<",
          " name=grok-site-verification", " content=", "QUJD", "=", "&#", "&amp;", ";",
          "self.__next_f.push([1,\"", "\\\"", "\\", "\\u", "\\x4", "\"])", "curves", ":", "[[",
          "]]", "[", "]", "{", "}", "\"color\":[1,2,3,4,5,6]", "\"deg\":7", ",", "1645e3", "x[5]%4",
          "%16", "(e[", "],16)", "é", "\n", " ")),
      [](const std::vector<std::string>& parts) {
        std::string out;
        for (const auto& p : parts) out += p;
        return out;
      });
}

RC_GTEST_PROP(ScrapeProperty, PagesNeverCrashTheReader, ()) {
  std::string html = *markup();
  PageData p = read_page(html, "https://grok.test/index");
  for (const auto& url : p.chunk_urls) RC_ASSERT(url.rfind("https://", 0) == 0);
  rsc_payload(html);
  js_unescape(html);
}

RC_GTEST_PROP(ScrapeProperty, ChunksNeverCrashTheIndexReader, ()) {
  std::string js = *markup();
  references_generator(js);
  if (auto idx = parse_indices(js)) {
    RC_ASSERT(idx->group >= 0 && idx->group < 48);
    RC_ASSERT(idx->segment >= 0 && idx->segment < 48);
    for (int t : idx->time) RC_ASSERT(t >= 0 && t < 48);
  }
  chunk_references(js, "https://grok.test/_next/static/chunks/a.js");
}

RC_GTEST_PROP(ScrapeProperty, Base64DecodeNeverCrashes, (const std::string& text)) {
  if (auto bytes = base64_decode(text)) RC_ASSERT(bytes->size() <= text.size());
}

}  // namespace
}  // namespace g2a::test
