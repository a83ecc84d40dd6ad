#include "core/http/form_urlencoded.hpp"

#include "core/http/message.hpp"

namespace g2a::http {

FormFields parse_form_urlencoded(std::string_view body) {
  FormFields fields;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string value =
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
    fields.emplace_back(percent_decode(pair.substr(0, eq), true), std::move(value));
  }
  return fields;
}

const std::string* find_field(const FormFields& fields, std::string_view name) {
  for (const auto& [k, v] : fields)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace g2a::http
