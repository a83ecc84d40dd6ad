// What the signer reads from grok.com's HTML page: the seed meta tag and the script chunks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base64.hpp"

namespace g2a::statsig {

constexpr size_t kSeedBytes = 48;

// The content of <meta name="grok-site-verification" content="...">, in any attribute
// order and quoting; the name matches case-insensitively with unicode dashes, spaces and
// underscores read as '-'. Character references in the content are decoded.
std::optional<std::string> find_site_verification(std::string_view html);

// The 48-byte seed the meta content encodes. Throws g2a::Error(G2A_PARSE_FAILURE) when it
// is not base64 or has another length.
Bytes decode_seed(std::string_view content);

// Absolute URLs of the page's <script src=".../static/chunks/....js"> tags, in page order,
// without duplicates. Relative sources resolve against page_url.
std::vector<std::string> chunk_script_urls(std::string_view html, std::string_view page_url);

// Decodes &amp; &lt; &gt; &quot; &apos; and numeric character references.
std::string decode_html_entities(std::string_view text);

}  // namespace g2a::statsig
