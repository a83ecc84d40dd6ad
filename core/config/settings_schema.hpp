// Internal to g2a_config: the table of settings fields that file parsing, environment
// and saved overrides, validation, schema() and to_json() all walk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config/settings.hpp"

namespace g2a::config::detail {

using StringList = std::vector<std::string>;
using IntList = std::vector<int64_t>;
// A setting's value; the alternative index is its Kind.
using Value = std::variant<bool, int64_t, double, std::string, StringList, IntList>;

enum class Kind { kBool, kInt, kFloat, kString, kStringList, kIntList };

enum class Secret {
  kNone,
  kText,  // the whole value is secret
  kUrl,   // URL(s) whose credentials (and query) are secret
};

struct CheckContext {
  std::filesystem::path zoneinfo_dir = "/usr/share/zoneinfo";
};

// A constraint on a value of the field's kind.
struct Rule {
  std::string expected;  // completes "expected ...": "an integer >= 0"
  // Checks a value of the right kind and may normalise it in place; false rejects it.
  std::function<bool(Value&, const CheckContext&)> accept;
};

struct Field {
  std::string_view section;
  std::string_view key;
  Kind kind;
  Value (*get)(const Settings&);
  void (*set)(Settings&, Value&&);
  Rule rule;
  std::string_view description;
  Secret secret = Secret::kNone;
  std::vector<std::string_view> env_aliases;  // bare names, after GROK2API_<SECTION>_<KEY>

  std::string name() const;                    // "section.key"
  std::vector<std::string> env_names() const;  // strongest first
};

// Every field, in the order of data/setting.example.toml.
const std::vector<Field>& fields();
const Field* find_field(std::string_view section, std::string_view key);
bool is_section(std::string_view section);

std::string_view kind_name(Kind kind);    // "integer"
std::string_view kind_phrase(Kind kind);  // "an integer"

// JSON output helpers, shared by to_json and the TOML-to-JSON copy of plugin tables.
std::string json_quote(std::string_view text);
std::string json_number(double value);
std::string value_json(const Value& value);

// "****" (or "" when empty), and URLs with their password and query hidden.
std::string mask_text(std::string_view text);
std::string mask_url(std::string_view url);
Value masked(const Field& field, const Value& value);

}  // namespace g2a::config::detail
