#include "core/openai/json_answer.hpp"

#include <boost/json.hpp>

namespace g2a::openai {
namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool has_type(const json::value& v, std::string_view type) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_int64() || v.is_uint64();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return true;  // a type this check does not know is not held against the answer
}

// Whether v matches the schema's "type", which may be a name or a list of names.
bool type_matches(const json::value& v, const json::value& type) {
  if (type.is_string()) return has_type(v, type.as_string());
  if (type.is_array()) {
    for (const auto& t : type.as_array())
      if (t.is_string() && has_type(v, t.as_string())) return true;
    return type.as_array().empty();
  }
  return true;
}

}  // namespace

std::string json_instruction(std::string_view format, std::string_view schema_json) {
  if (format != "json_object" && format != "json_schema") return "";
  std::string out =
      "Answer with exactly one JSON object only: no prose, no code fences, nothing before or "
      "after it.";
  if (format == "json_schema" && !schema_json.empty()) {
    out += " The object must conform to this JSON schema, with every required key present:\n";
    out += "<json_schema>\n" + std::string(schema_json) + "\n</json_schema>";
  }
  return out;
}

std::string strip_code_fence(std::string_view text) {
  std::string_view s = trim(text);
  if (s.size() >= 6 && s.substr(0, 3) == "```" && s.substr(s.size() - 3) == "```") {
    s.remove_suffix(3);
    size_t nl = s.find('\n');
    s = nl == std::string_view::npos ? s.substr(3) : s.substr(nl + 1);  // drops ```json
    s = trim(s);
  }
  return std::string(s);
}

JsonAnswer check_json_answer(std::string_view answer, std::string_view schema_json) {
  JsonAnswer out{strip_code_fence(answer), {}};
  boost::system::error_code ec;
  json::value v = json::parse(out.text, ec);
  if (ec || !v.is_object()) {
    out.error = "the model's answer is not a JSON object";
    return out;
  }
  if (schema_json.empty()) return out;
  json::value schema = json::parse(schema_json, ec);
  if (ec || !schema.is_object()) return out;  // an unreadable schema cannot be enforced
  const auto& obj = v.as_object();
  const auto& s = schema.as_object();
  if (auto* req = s.if_contains("required"); req && req->is_array())
    for (const auto& k : req->as_array())
      if (k.is_string() && !obj.contains(k.as_string())) {
        out.error =
            "the model's answer lacks the required key '" + std::string(k.as_string()) + "'";
        return out;
      }
  if (auto* props = s.if_contains("properties"); props && props->is_object())
    for (const auto& [key, prop] : props->as_object()) {
      const auto* value = obj.if_contains(key);
      const auto* type = prop.is_object() ? prop.as_object().if_contains("type") : nullptr;
      if (value && type && !type_matches(*value, *type)) {
        out.error = "the model's answer has the wrong type for '" + std::string(key) + "'";
        return out;
      }
    }
  return out;
}

}  // namespace g2a::openai
