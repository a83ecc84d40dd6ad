#include "core/openai/tool_emulation.hpp"

#include <openssl/rand.h>

#include <boost/json.hpp>
#include <optional>

#include "core/openai/chat_request.hpp"
#include "core/openai/json_answer.hpp"

namespace g2a::openai {
namespace json = boost::json;

namespace {

// The function objects of a tools array ({"type":"function","function":{...}}).
std::vector<json::object> functions(std::string_view tools_json) {
  std::vector<json::object> out;
  if (tools_json.empty()) return out;
  boost::system::error_code ec;
  json::value v = json::parse(tools_json, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& t : v.as_array()) {
    if (!t.is_object()) continue;
    const auto* f = t.as_object().if_contains("function");
    if (f && f->is_object() && f->as_object().contains("name") &&
        f->as_object().at("name").is_string())
      out.push_back(f->as_object());
  }
  return out;
}

bool known(const std::vector<json::object>& fns, std::string_view name) {
  for (const auto& f : fns)
    if (f.at("name").as_string() == name) return true;
  return false;
}

// One call from a parsed {"name","arguments"} object, when it names a tool and its
// arguments are an object (or a string holding one, as some models write them).
std::optional<ToolCall> to_call(const json::value& v, const std::vector<json::object>& fns) {
  if (!v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* name = o.if_contains("name");
  if (!name || !name->is_string() || !known(fns, name->as_string())) return std::nullopt;
  json::value args = json::object();
  if (const auto* a = o.if_contains("arguments"); a && !a->is_null()) args = *a;
  if (args.is_string()) {
    boost::system::error_code ec;
    args = json::parse(args.as_string(), ec);
    if (ec) return std::nullopt;
  }
  if (!args.is_object()) return std::nullopt;
  return ToolCall{new_tool_call_id(), std::string(name->as_string()), json::serialize(args)};
}

std::optional<json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(strip_code_fence(text), ec);
  if (ec) return std::nullopt;
  return v;
}

// The value of name="..." in a tag's attributes, as the adapter renders past calls.
std::string attribute(std::string_view attrs, std::string_view key) {
  std::string needle = std::string(key) + "=\"";
  size_t p = attrs.find(needle);
  if (p == std::string_view::npos) return "";
  p += needle.size();
  size_t e = attrs.find('"', p);
  return e == std::string_view::npos ? "" : std::string(attrs.substr(p, e - p));
}

}  // namespace

std::string new_tool_call_id() {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char raw[24];
  RAND_bytes(raw, sizeof raw);
  std::string id = "call_";
  for (unsigned char c : raw) id.push_back(kAlnum[c % 62]);
  return id;
}

ToolChoice parse_tool_choice(std::string_view tool_choice_json, std::string_view tools_json) {
  ToolChoice c;
  if (tool_choice_json.empty()) return c;
  boost::system::error_code ec;
  json::value v = json::parse(tool_choice_json, ec);
  if (ec) throw RequestError("tool_choice is not valid JSON", "tool_choice");
  if (v.is_string()) {
    std::string_view s = v.as_string();
    if (s == "auto") return c;
    if (s == "none")
      c.kind = ToolChoice::kNone;
    else if (s == "required")
      c.kind = ToolChoice::kRequired;
    else
      throw RequestError("unknown tool_choice '" + std::string(s) + "'", "tool_choice");
    if (c.kind == ToolChoice::kRequired && tools_json.empty())
      throw RequestError("tool_choice 'required' needs tools", "tool_choice");
    return c;
  }
  const json::value* name = nullptr;
  if (v.is_object())
    if (const auto* f = v.as_object().if_contains("function"); f && f->is_object())
      name = f->as_object().if_contains("name");
  if (!name || !name->is_string())
    throw RequestError(
        "tool_choice must be a string or {\"type\":\"function\",\"function\":"
        "{\"name\":...}}",
        "tool_choice");
  if (!known(functions(tools_json), name->as_string()))
    throw RequestError(
        "tool_choice names '" + std::string(name->as_string()) + "', which is not among the tools",
        "tool_choice.function.name");
  c.kind = ToolChoice::kFunction;
  c.function = name->as_string();
  return c;
}

std::string tool_instruction(std::string_view tools_json, const ToolChoice& choice) {
  auto fns = functions(tools_json);
  if (fns.empty() || choice.kind == ToolChoice::kNone) return "";
  std::string out =
      "You can call the following tools. Each is described as JSON with its name, its "
      "description and the JSON schema of its parameters:\n<tools>\n";
  for (const auto& f : fns) {
    json::object d{{"name", f.at("name")}};
    if (const auto* v = f.if_contains("description")) d["description"] = *v;
    if (const auto* v = f.if_contains("parameters")) d["parameters"] = *v;
    out += json::serialize(d) + "\n";
  }
  out +=
      "</tools>\n"
      "To call tools, answer with one or more blocks of exactly this form and nothing else:\n"
      "<tool_call>{\"name\":\"TOOL_NAME\",\"arguments\":{...}}</tool_call>\n"
      "The arguments must be a JSON object that matches the tool's parameters. ";
  switch (choice.kind) {
    case ToolChoice::kRequired:
      out += "You must call at least one tool now; do not answer in prose.";
      break;
    case ToolChoice::kFunction:
      out += "You must call the tool \"" + choice.function + "\" now; do not answer in prose.";
      break;
    default:
      out +=
          "If no tool is needed, answer the user normally without any <tool_call> block. "
          "Messages marked [tool result for ...] hold the results of earlier calls.";
  }
  return out;
}

std::vector<ToolCall> parse_tool_calls(std::string_view answer, std::string_view tools_json,
                                       const ToolChoice& choice) {
  std::vector<ToolCall> calls;
  if (choice.kind == ToolChoice::kNone) return calls;
  auto fns = functions(tools_json);
  if (fns.empty()) return calls;
  static constexpr std::string_view kOpen = "<tool_call", kClose = "</tool_call>";
  size_t pos = 0;
  while ((pos = answer.find(kOpen, pos)) != std::string_view::npos) {
    size_t gt = answer.find('>', pos);
    if (gt == std::string_view::npos) break;
    size_t end = answer.find(kClose, gt);
    if (end == std::string_view::npos) break;
    std::string_view attrs = answer.substr(pos + kOpen.size(), gt - pos - kOpen.size());
    std::string_view inner = answer.substr(gt + 1, end - gt - 1);
    pos = end + kClose.size();
    auto v = parse_json(inner);
    if (!v) continue;
    // The form the adapter renders past calls in: <tool_call name="f">{args}</tool_call>.
    if (std::string name = attribute(attrs, "name"); !name.empty())
      v = json::object{{"name", name}, {"arguments", *v}};
    if (auto call = to_call(*v, fns)) calls.push_back(std::move(*call));
  }
  if (calls.empty() && choice.forced())
    if (auto v = parse_json(answer))
      if (auto call = to_call(*v, fns)) calls.push_back(std::move(*call));
  return calls;
}

}  // namespace g2a::openai
