// Next.js streams its React Server Component payload as JavaScript string literals in
// `self.__next_f.push([1,"..."])` scripts. Decoding and joining them gives the JSON text
// the page was rendered from, even where one value is split across two pushes.
#pragma once

#include <string>
#include <string_view>

namespace g2a::statsig {

// The decoded, concatenated string payloads of every push in the page ("" when none).
std::string rsc_payload(std::string_view html);

// Decodes the body of a JavaScript string literal (without its quotes): \" \\ \n \t \r \b
// \f \v \0 \xHH \uHHHH \u{H..} (as UTF-8) and line continuations. Unknown escapes keep
// the character, as JavaScript does.
std::string js_unescape(std::string_view body);

}  // namespace g2a::statsig
