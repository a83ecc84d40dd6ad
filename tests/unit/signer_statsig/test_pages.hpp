// Synthetic grok.com pages and chunks, built from the 2026-08-18 vector so a signer that
// reads them must reproduce the vector's fingerprint.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "curves.hpp"
#include "fake_host.hpp"

namespace g2a::test::pages {

inline const std::string kBase = "https://grok.test";

// The curves table as the page's JSON: [[{"color":[...],"deg":n,"bezier":[...]},...],...].
std::string curves_json(const statsig::CurveTable& table);
// The vector's curves as JSON.
std::string vector_curves_json();
// s escaped for the inside of a "..." JavaScript string literal.
std::string js_string_body(std::string_view s);

struct PageSpec {
  std::string meta_tag;              // the whole <meta ...> tag, "" for none
  std::string curves_json;           // "" for none; split across two RSC pushes
  std::vector<std::string> scripts;  // <script src> values, in order
};
std::string page(const PageSpec& spec);

// <meta> for a seed with content first, odd case and quoting, as a page might have it.
std::string meta_tag(const std::string& seed_b64);
// The whole vector page: meta, curves and the three chunks below.
PageSpec vector_page();

// A chunk that defines module 1645e3 and reads the given seed positions.
std::string generator_chunk(int group, int segment, std::array<int, 3> time);
// A chunk without 1645e3 whose code looks like the generator's (it must be ignored).
std::string decoy_chunk();
// A chunk that loads module 1645e3 from `generator_path` without reading indices itself.
std::string loader_chunk(const std::string& generator_path);

// Serves /index (404 with the vector page), / and the chunks on host.
void serve_vector_site(FakeHost& host);

}  // namespace g2a::test::pages
