// application/x-www-form-urlencoded (the WHATWG URL standard's parser): name=value pairs
// split on '&', '+' as a space, percent-decoding that leaves a malformed escape as it is.
// Used for form bodies (the Video API) and query strings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Every pair in order (empty sequences between '&' are skipped; a name without '=' has an
// empty value). Never throws on any input.
FormFields parse_form_urlencoded(std::string_view body);

// The value of the first pair named name, or null.
const std::string* find_field(const FormFields& fields, std::string_view name);

}  // namespace g2a::http
