// Loading: defaults < setting.toml < saved settings < environment, each value checked by
// the field's rule as it is applied.
#include "core/config/settings.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <boost/json.hpp>

#include "core/config/settings_schema.hpp"
#include "core/config/toml_guard.hpp"

extern char** environ;

namespace g2a::config {
namespace {

using detail::Field;
using detail::IntList;
using detail::Kind;
using detail::Secret;
using detail::StringList;
using detail::Value;

constexpr size_t kMaxRepr = 120;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string clip(std::string text) {
  if (text.size() > kMaxRepr) text = text.substr(0, kMaxRepr) + "...";
  return text;
}

// A string shown in an error message: URL credentials hidden for URL secrets.
std::string shown_string(std::string_view s, Secret secret) {
  return detail::json_quote(secret == Secret::kUrl ? detail::mask_url(s) : std::string(s));
}

// --- TOML --------------------------------------------------------------------------------

std::optional<Value> from_toml(const toml::node& node, Kind kind) {
  switch (kind) {
    case Kind::kBool:
      if (auto* b = node.as_boolean()) return Value(std::in_place_type<bool>, b->get());
      break;
    case Kind::kInt:
      if (auto* i = node.as_integer()) return Value(std::in_place_type<int64_t>, i->get());
      break;
    case Kind::kFloat:
      if (auto* i = node.as_integer())
        return Value(std::in_place_type<double>, static_cast<double>(i->get()));
      if (auto* d = node.as_floating_point(); d && std::isfinite(d->get()))
        return Value(std::in_place_type<double>, d->get());
      break;
    case Kind::kString:
      if (auto* s = node.as_string()) return Value(std::in_place_type<std::string>, s->get());
      break;
    case Kind::kStringList:
      if (auto* a = node.as_array()) {
        StringList out;
        for (const auto& e : *a) {
          auto* s = e.as_string();
          if (!s) return std::nullopt;
          out.push_back(s->get());
        }
        return out;
      }
      break;
    case Kind::kIntList:
      if (auto* a = node.as_array()) {
        IntList out;
        for (const auto& e : *a) {
          auto* i = e.as_integer();
          if (!i) return std::nullopt;
          out.push_back(i->get());
        }
        return out;
      }
      break;
    case Kind::kTableList:  // read cell by cell: see toml_rows
      break;
  }
  return std::nullopt;
}

std::string_view toml_phrase(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
  }
}

std::string toml_repr(const toml::node& node, Secret secret) {
  if (secret == Secret::kText) return std::string(toml_phrase(node));
  if (auto* s = node.as_string()) return shown_string(s->get(), secret);
  if (auto* i = node.as_integer()) return std::to_string(i->get());
  if (auto* d = node.as_floating_point()) {
    return std::isfinite(d->get()) ? detail::json_number(d->get()) : fmt::format("{}", d->get());
  }
  if (auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (auto* a = node.as_array()) {
    std::string out = "[";
    for (size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + toml_repr(*a->get(i), secret);
    return out + "]";
  }
  if (node.is_table()) return "a table";
  std::ostringstream os;
  node.visit([&os](const auto& n) {
    if constexpr (toml::is_date<decltype(n)> || toml::is_time<decltype(n)> ||
                  toml::is_date_time<decltype(n)>)
      os << n;
  });
  return os.str();
}

// Plugin tables go to plugins as JSON; TOML dates become strings.
std::string toml_to_json(const toml::node& node) {
  if (auto* t = node.as_table()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, value] : *t) {
      out += (first ? "" : ",") + detail::json_quote(key.str()) + ":" + toml_to_json(value);
      first = false;
    }
    return out + "}";
  }
  if (auto* a = node.as_array()) {
    std::string out = "[";
    for (size_t i = 0; i < a->size(); ++i) out += (i ? "," : "") + toml_to_json(*a->get(i));
    return out + "]";
  }
  if (auto* s = node.as_string()) return detail::json_quote(s->get());
  if (auto* i = node.as_integer()) return std::to_string(i->get());
  if (auto* d = node.as_floating_point()) return detail::json_number(d->get());
  if (auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  return detail::json_quote(toml_repr(node, Secret::kNone));
}

// --- JSON (saved settings) -----------------------------------------------------------------

std::optional<Value> from_json(const boost::json::value& v, Kind kind) {
  auto as_int = [](const boost::json::value& x) -> std::optional<int64_t> {
    if (x.is_int64()) return x.get_int64();
    if (x.is_uint64() && x.get_uint64() <= static_cast<uint64_t>(INT64_MAX))
      return static_cast<int64_t>(x.get_uint64());
    return std::nullopt;
  };
  switch (kind) {
    case Kind::kBool:
      if (v.is_bool()) return Value(std::in_place_type<bool>, v.get_bool());
      break;
    case Kind::kInt:
      if (auto n = as_int(v)) return Value(std::in_place_type<int64_t>, *n);
      break;
    case Kind::kFloat:
      if (v.is_number() && !v.is_double())
        return Value(std::in_place_type<double>, v.to_number<double>());
      if (v.is_double() && std::isfinite(v.get_double()))
        return Value(std::in_place_type<double>, v.get_double());
      break;
    case Kind::kString:
      if (v.is_string()) return Value(std::in_place_type<std::string>, v.get_string().c_str());
      break;
    case Kind::kStringList:
      if (v.is_array()) {
        StringList out;
        for (const auto& e : v.get_array()) {
          if (!e.is_string()) return std::nullopt;
          out.emplace_back(e.get_string());
        }
        return out;
      }
      break;
    case Kind::kIntList:
      if (v.is_array()) {
        IntList out;
        for (const auto& e : v.get_array()) {
          auto n = as_int(e);
          if (!n) return std::nullopt;
          out.push_back(*n);
        }
        return out;
      }
      break;
    case Kind::kTableList:  // read cell by cell: see json_rows
      break;
  }
  return std::nullopt;
}

std::string json_repr(const boost::json::value& v, Secret secret) {
  if (secret == Secret::kText) {
    if (v.is_string()) return "a string";
    if (v.is_bool()) return "a boolean";
    if (v.is_number()) return "a number";
    if (v.is_array()) return "an array";
    if (v.is_object()) return "an object";
    return "null";
  }
  if (v.is_string()) return shown_string(v.get_string(), secret);
  if (v.is_array()) {
    std::string out = "[";
    const auto& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) out += (i ? ", " : "") + json_repr(a[i], secret);
    return out + "]";
  }
  return boost::json::serialize(v);
}

// --- environment ---------------------------------------------------------------------------

std::optional<int64_t> parse_int(std::string_view text) {
  text = trim(text);
  if (text.starts_with('+')) text.remove_prefix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::optional<double> parse_double(std::string_view text) {
  text = trim(text);
  if (text.starts_with('+')) text.remove_prefix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

// A true or false given to a string setting that takes them as words (grok.allow_direct).
std::optional<Value> bool_words(const Field& f, std::optional<Value> v, std::optional<bool> b) {
  if (!v && f.bool_words && b) return Value(std::in_place_type<std::string>, *b ? "true" : "false");
  return v;
}

// Values typed like the key: true/false/1/0, numbers, TOML arrays or a bare a,b,c list.
std::optional<Value> from_env(std::string_view raw, Kind kind) {
  auto text = trim(raw);
  switch (kind) {
    case Kind::kBool: {
      std::string t(text);
      for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (t == "true" || t == "1") return Value(std::in_place_type<bool>, true);
      if (t == "false" || t == "0") return Value(std::in_place_type<bool>, false);
      return std::nullopt;
    }
    case Kind::kInt:
      if (auto n = parse_int(text)) return Value(std::in_place_type<int64_t>, *n);
      return std::nullopt;
    case Kind::kFloat:
      if (auto d = parse_double(text)) return Value(std::in_place_type<double>, *d);
      return std::nullopt;
    case Kind::kString:
      return Value(std::in_place_type<std::string>, std::string(raw));
    case Kind::kStringList:
    case Kind::kIntList:
      break;
    case Kind::kTableList:  // JSON text: see Loader::apply_env
      return std::nullopt;
  }
  if (text.starts_with('[')) {
    if (find_bare_non_ascii(text)) return std::nullopt;
    try {
      auto table = toml::parse("v = " + std::string(text));
      if (auto* node = table.get("v")) return from_toml(*node, kind);
    } catch (const toml::parse_error&) {
    }
    return std::nullopt;
  }
  StringList items;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = trim(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  if (kind == Kind::kStringList) return items;
  IntList numbers;
  for (const auto& item : items) {
    auto n = parse_int(item);
    if (!n) return std::nullopt;
    numbers.push_back(*n);
  }
  return numbers;
}

// --- arrays of tables ------------------------------------------------------------------------

// One key of one table as read from a source, converted once its column is known.
struct CellInput {
  std::string key;
  std::function<std::optional<Value>(Kind)> convert;
  std::function<std::string(Secret)> repr;
};
using RowsInput = std::vector<std::vector<CellInput>>;

// An array of TOML tables ([[global.api_keys]] or api_keys = [{...}]); nullopt otherwise.
std::optional<RowsInput> toml_rows(const toml::node& node) {
  const auto* array = node.as_array();
  if (!array) return std::nullopt;
  RowsInput rows;
  for (const auto& element : *array) {
    const auto* table = element.as_table();
    if (!table) return std::nullopt;
    auto& row = rows.emplace_back();
    for (const auto& [key, value] : *table) {
      const toml::node* cell = &value;
      row.push_back({std::string(key.str()), [cell](Kind k) { return from_toml(*cell, k); },
                     [cell](Secret s) { return toml_repr(*cell, s); }});
    }
  }
  return rows;
}

// An array of JSON objects; nullopt otherwise. The value must outlive the rows.
std::optional<RowsInput> json_rows(const boost::json::value& v) {
  if (!v.is_array()) return std::nullopt;
  RowsInput rows;
  for (const auto& element : v.get_array()) {
    if (!element.is_object()) return std::nullopt;
    auto& row = rows.emplace_back();
    for (const auto& [key, value] : element.get_object()) {
      const boost::json::value* cell = &value;
      row.push_back({std::string(key), [cell](Kind k) { return from_json(*cell, k); },
                     [cell](Secret s) { return json_repr(*cell, s); }});
    }
  }
  return rows;
}

std::string column_list(const Field& f) {
  std::string out;
  for (const auto& c : f.columns) out += (out.empty() ? "" : ", ") + std::string(c.key);
  return out;
}

// --- merging -------------------------------------------------------------------------------

class Loader {
 public:
  explicit Loader(const Sources& sources) : sources_(sources) {
    if (auto it = sources.env.find("TZDIR"); it != sources.env.end() && !it->second.empty())
      ctx_.zoneinfo_dir = it->second;
  }

  Loaded run() {
    apply_file();
    apply_saved();
    apply_env();
    check_together();
    return std::move(out_);
  }

 private:
  // Checks a converted value against the field's rule and stores it.
  void assign(const Field& f, std::optional<Value> value, const std::function<std::string()>& repr,
              std::string_view origin) {
    if (value && (!f.rule.accept || f.rule.accept(*value, ctx_))) {
      f.set(out_.settings, std::move(*value));
      return;
    }
    throw ConfigError(f.name(),
                      fmt::format("expected {}, got {}{}", f.rule.expected, clip(repr()), origin));
  }

  // An array of tables: every cell checked by its column, then the rows together. Errors
  // name the cell: "global.api_keys[2].rpm".
  void assign_rows(const Field& f, std::optional<RowsInput> rows,
                   const std::function<std::string()>& repr, std::string_view origin) {
    if (!rows) {
      throw ConfigError(
          f.name(), fmt::format("expected {}, got {}{}", f.rule.expected, clip(repr()), origin));
    }
    detail::TableList out;
    for (size_t i = 0; i < rows->size(); ++i) {
      detail::Row row;
      for (auto& cell : (*rows)[i]) {
        auto where = fmt::format("{}[{}].{}", f.name(), i, cell.key);
        const detail::Column* c = detail::find_column(f, cell.key);
        if (!c)
          throw ConfigError(
              where, fmt::format("unknown key; expected one of {}{}", column_list(f), origin));
        auto value = cell.convert(c->kind);
        if (!value || (c->rule.accept && !c->rule.accept(*value, ctx_))) {
          throw ConfigError(where, fmt::format("expected {}, got {}{}", c->rule.expected,
                                               clip(cell.repr(c->secret)), origin));
        }
        row.cells.emplace_back(cell.key, std::move(*value));
      }
      for (const auto& c : f.columns) {
        if (c.required && !row.find(c.key))
          throw ConfigError(fmt::format("{}[{}].{}", f.name(), i, c.key),
                            fmt::format("missing; every entry needs one{}", origin));
      }
      out.push_back(std::move(row));
    }
    if (f.check_rows) {
      if (auto problem = f.check_rows(out)) {
        throw ConfigError(fmt::format("{}[{}].{}", f.name(), problem->index, problem->column),
                          problem->message + std::string(origin));
      }
    }
    f.set(out_.settings, std::move(out));
  }

  void assign_toml(const Field& f, const toml::node& value) {
    auto repr = [&] { return toml_repr(value, f.secret); };
    if (f.kind == Kind::kTableList)
      assign_rows(f, toml_rows(value), repr, "");
    else
      assign(f, bool_words(f, from_toml(value, f.kind), value.value_exact<bool>()), repr, "");
  }

  void assign_json(const Field& f, const boost::json::value& value, std::string_view origin) {
    auto repr = [&] { return json_repr(value, f.secret); };
    if (f.kind == Kind::kTableList)
      assign_rows(f, json_rows(value), repr, origin);
    else
      assign(f,
             bool_words(f, from_json(value, f.kind),
                        value.is_bool() ? std::optional<bool>(value.get_bool()) : std::nullopt),
             repr, origin);
  }

  void apply_file() {
    const auto& path = sources_.file;
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) return;
    toml::table root;
    try {
      std::ifstream in(path, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) throw ConfigError(path.string(), "cannot read the file");
      if (auto bad = find_bare_non_ascii(text))
        throw ConfigError(path.string(),
                          fmt::format("invalid TOML at line {}, column {}: a non-ASCII character "
                                      "outside a string or comment",
                                      bad->line, bad->column));
      root = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
      throw ConfigError(path.string(),
                        fmt::format("invalid TOML at line {}, column {}: {}", e.source().begin.line,
                                    e.source().begin.column, e.description()));
    }
    out_.file_found = true;
    for (const auto& [name, node] : root) {
      std::string section(name.str());
      if (const Field* f = detail::find_field(section, "")) {  // [[models]]
        assign_toml(*f, node);
        continue;
      }
      if (!detail::is_section(section)) {
        warn_file(fmt::format("unknown section [{}]", section), node);
        continue;
      }
      auto* table = node.as_table();
      if (!table) {
        throw ConfigError(section, fmt::format("expected a table [{}], got {}", section,
                                               clip(toml_repr(node, Secret::kNone))));
      }
      for (const auto& [key_name, node_value] : *table) {
        std::string key(key_name.str());
        const auto& value = node_value;  // a structured binding cannot be captured (clang 14)
        if (const Field* f = detail::find_field(section, key); f && !key.empty()) {
          assign_toml(*f, value);
        } else if (section == "plugins" && value.is_table()) {
          read_plugin(key, *value.as_table());
        } else {
          warn_file(fmt::format("unknown key {}.{}", section, key), value);
        }
      }
    }
  }

  void warn_file(const std::string& what, const toml::node& node) {
    out_.warnings.push_back(fmt::format("{}: {} (line {}), ignored", sources_.file.string(), what,
                                        node.source().begin.line));
  }

  void read_plugin(const std::string& id, const toml::table& table) {
    PluginEntry entry;
    if (const toml::node* required = table.get("required")) {
      auto* b = required->as_boolean();
      if (!b) {
        throw ConfigError(
            fmt::format("plugins.{}.required", id),
            fmt::format("expected a boolean, got {}", clip(toml_repr(*required, Secret::kNone))));
      }
      entry.required = b->get();
    }
    entry.config_json = toml_to_json(table);
    out_.settings.plugins.entries[id] = std::move(entry);
  }

  void apply_saved() {
    if (trim(sources_.saved_json).empty()) return;
    boost::system::error_code ec;
    auto root = boost::json::parse(sources_.saved_json, ec);
    if (ec || !root.is_object()) {
      throw ConfigError("saved_settings",
                        "expected a JSON object {\"grok\":{...},\"global\":{...}}, got " +
                            (ec ? "invalid JSON: " + ec.message() : boost::json::serialize(root)));
    }
    for (const auto& [name, node] : root.get_object()) {
      std::string section(name);
      if (const Field* f = detail::find_field(section, "")) {
        assign_json(*f, node, " (from saved settings)");
        continue;
      }
      if (!detail::is_section(section)) {
        out_.warnings.push_back(
            fmt::format("saved settings: unknown section {}, ignored", section));
        continue;
      }
      if (!node.is_object()) {
        throw ConfigError(section, fmt::format("expected an object, got {} (from saved settings)",
                                               clip(boost::json::serialize(node))));
      }
      for (const auto& [key_name, saved_value] : node.get_object()) {
        std::string key(key_name);
        const auto& value = saved_value;  // a structured binding cannot be captured (clang 14)
        if (const Field* f = detail::find_field(section, key); f && !key.empty()) {
          assign_json(*f, value, " (from saved settings)");
        } else {
          out_.warnings.push_back(
              fmt::format("saved settings: unknown key {}.{}, ignored", section, key));
        }
      }
    }
  }

  void apply_env() {
    const auto& env = sources_.env;
    std::set<std::string> prefixed;
    for (const auto& f : detail::fields()) {
      auto names = f.env_names();
      prefixed.insert(names.front());
      for (const auto& name : names) {
        auto it = env.find(name);
        // An empty variable counts as unset: compose files pass ${VAR} through empty.
        if (it == env.end() || it->second.empty()) continue;
        const std::string& raw = it->second;
        auto origin = fmt::format(" (from environment variable {})", name);
        if (f.kind == Kind::kTableList) {  // JSON: [{"name":"ci","key":"sk-..."}]
          boost::system::error_code ec;
          auto parsed = boost::json::parse(raw, ec);
          assign_rows(
              f, ec ? std::nullopt : json_rows(parsed),
              [&] { return ec ? "invalid JSON: " + ec.message() : std::string("a JSON value"); },
              origin);
          out_.pinned.insert(f.name());
          break;
        }
        assign(
            f, from_env(raw, f.kind),
            [&] {
              return f.secret == Secret::kText ? std::string("a string")
                                               : shown_string(raw, f.secret);
            },
            origin);
        out_.pinned.insert(f.name());
        break;
      }
    }
    // Typos in GROK2API_<SECTION>_<KEY> would otherwise go unnoticed.
    for (const auto& [name, value] : env) {
      if (!name.starts_with("GROK2API_") || prefixed.count(name)) continue;
      for (std::string_view section : {"GROK_", "GLOBAL_", "SERVER_", "STORAGE_"}) {
        if (std::string_view(name).substr(9).starts_with(section)) {
          out_.warnings.push_back(
              fmt::format("environment variable {} matches no setting, ignored", name));
          break;
        }
      }
    }
  }

  // Rules that involve more than one key.
  void check_together() {
    const auto& storage = out_.settings.storage;
    if (storage.mode != "file" && storage.database_url.empty()) {
      throw ConfigError(
          "storage.database_url",
          fmt::format("expected a database URL when storage.mode is {}, got \"\"", storage.mode));
    }
    const auto& grok = out_.settings.grok;
    const auto& keys = out_.settings.global.api_keys;
    for (size_t i = 0; i < keys.size() && !grok.api_key.empty(); ++i) {
      // grok.api_key is the key named "default"; the names and keys must stay unique.
      if (keys[i].name == "default")
        throw ConfigError(fmt::format("global.api_keys[{}].name", i),
                          "\"default\" is the name of grok.api_key; choose another");
      if (keys[i].key == grok.api_key)
        throw ConfigError(fmt::format("global.api_keys[{}].key", i),
                          "repeats grok.api_key; each key needs its own value");
    }
    if (!grok.dynamic_statsig && grok.x_statsig_id.empty()) {
      out_.warnings.push_back(
          "grok.dynamic_statsig is false but grok.x_statsig_id is empty: requests will carry no "
          "x-statsig-id");
    }
  }

  const Sources& sources_;
  detail::CheckContext ctx_;
  Loaded out_;
};

}  // namespace

Loaded load(const Sources& sources) {
  return Loader(sources).run();
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

}  // namespace g2a::config
