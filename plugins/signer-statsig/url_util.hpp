// Just enough URL handling to turn the page's script references into absolute URLs.
#pragma once

#include <string>
#include <string_view>

namespace g2a::statsig {

// "https://grok.com" for "https://grok.com/any/path?q"; "" when url has no scheme.
std::string url_origin(std::string_view url);

// `ref` made absolute against `base`: absolute refs as they are, "//host/x" with base's
// scheme, "/x" on base's origin, anything else next to base's last path segment.
std::string url_resolve(std::string_view ref, std::string_view base);

// The path of a request target without query or fragment ("/a/b" for "/a/b?x=1#f");
// absolute URLs lose their scheme and host.
std::string url_pathname(std::string_view target);

// scheme://host/path of url, without user info, query or fragment: safe for messages.
std::string url_redacted(std::string_view url);

}  // namespace g2a::statsig
