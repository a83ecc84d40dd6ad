// Internal to g2a_config: the table of settings fields that file parsing, environment
// and saved overrides, validation, schema() and to_json() all walk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/config/settings.hpp"

namespace g2a::config::detail {

using StringList = std::vector<std::string>;
using IntList = std::vector<int64_t>;
struct Row;
// An array of tables ([[global.api_keys]]): one Row per table.
using TableList = std::vector<Row>;
// A setting's value; the alternative index is its Kind.
using Value = std::variant<bool, int64_t, double, std::string, StringList, IntList, TableList>;

// The keys a table of an array of tables gave, in its order; checked by the columns.
struct Row {
  std::vector<std::pair<std::string, Value>> cells;
  const Value* find(std::string_view key) const;
};

enum class Kind { kBool, kInt, kFloat, kString, kStringList, kIntList, kTableList };

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

// One key of the tables of an array of tables, on a row struct (ApiKeySetting).
struct Column {
  std::string_view key;
  Kind kind;  // not kTableList
  Value (*get)(const void* row);
  void (*set)(void* row, Value&&);
  Rule rule;
  std::string_view description;
  Secret secret = Secret::kNone;
  bool required = false;
};

// A problem that involves several rows (a duplicate name): names the row and column.
struct RowProblem {
  size_t index = 0;
  std::string column;
  std::string message;
};

struct Field {
  std::string_view section;
  std::string_view key;  // "" = the section is itself an array of tables ([[models]])
  Kind kind;
  Value (*get)(const Settings&);
  void (*set)(Settings&, Value&&);
  Rule rule;
  std::string_view description;
  Secret secret = Secret::kNone;
  std::vector<std::string_view> env_aliases;  // bare names, after GROK2API_<SECTION>_<KEY>
  bool bool_words = false;  // kString: TOML/JSON true and false are taken as "true"/"false"
  // kTableList: the keys of each table, and a check across the rows (run after each
  // row passed its columns' rules).
  std::vector<Column> columns;
  std::function<std::optional<RowProblem>(const TableList&)> check_rows;

  std::string name() const;                    // "section.key", or "section" when key is ""
  std::vector<std::string> env_names() const;  // strongest first
};

// Every field, in the order of data/setting.example.toml.
const std::vector<Field>& fields();
const Field* find_field(std::string_view section, std::string_view key);
const Column* find_column(const Field& field, std::string_view key);
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
