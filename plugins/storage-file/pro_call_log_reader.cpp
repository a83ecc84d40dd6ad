#include "pro_call_log_reader.hpp"

#include <fmt/format.h>

#include <grok2api/plugin.hpp>

#include <vector>

#include "json_parse.hpp"

namespace g2a::storage_file {
namespace {

class Reader {
 public:
  Reader(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  [[noreturn]] void fail(std::string_view message) const {
    throw g2a::Error(G2A_PARSE_FAILURE, fmt::format("{}: at byte {}: {}", what_, pos_, message));
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() {
    skip_space();
    if (at_end()) fail("unexpected end of file");
    return text_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(fmt::format("expected '{}'", c));
    ++pos_;
  }

  // The next value's text: a string to its closing quote, an object or array to its
  // matching bracket, anything else to the next delimiter. boost::json judges it.
  std::string_view value_text() {
    skip_space();
    std::size_t start = pos_;
    int depth = 0;
    bool in_string = false;
    for (; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (in_string) {
        if (c == '\\')
          ++pos_;
        else if (c == '"')
          in_string = false;
        if (in_string || depth > 0) continue;
        ++pos_;
        break;
      }
      if (c == '"') {
        if (pos_ > start && depth == 0) break;  // not a string value: let boost judge it
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) break;
        if (--depth == 0) {
          ++pos_;
          break;
        }
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        break;
      }
    }
    if (pos_ > text_.size()) pos_ = text_.size();
    if (pos_ == start) fail("expected a value");
    return text_.substr(start, pos_ - start);
  }

  boost::json::value parse_value() {
    skip_space();
    std::size_t start = pos_;
    std::string_view v = value_text();
    boost::json::value out;
    std::string error;
    if (!try_parse_json(v, out, error)) {
      pos_ = start;
      fail(error);
    }
    return out;
  }

  // Elements of the array at pos_, each parsed and handed to fn.
  void read_array(const std::function<void(const boost::json::value&)>& fn) {
    expect('[');
    if (peek() == ']') {
      ++pos_;
      return;
    }
    for (;;) {
      fn(parse_value());
      char c = peek();
      ++pos_;
      if (c == ']') return;
      if (c != ',') {
        --pos_;
        fail("expected ',' or ']'");
      }
    }
  }

  void read(const std::function<void(const boost::json::value&)>& fn) {
    if (peek() == '[') {
      read_array(fn);
      end_of_document();
      return;
    }
    // The object is walked first with "logs" values only delimited: with repeated keys
    // the last one counts (as in a whole-document parse), so no record is handed out
    // before the walk has found it.
    std::vector<std::size_t> logs_at;
    expect('{');
    if (peek() == '}') {
      ++pos_;
    } else {
      for (;;) {
        if (peek() != '"') fail("expected a key");
        boost::json::value key = parse_value();
        expect(':');
        if (key.as_string() == "logs") {
          logs_at.push_back((skip_space(), pos_));
          (void)value_text();
        } else {
          (void)parse_value();
        }
        char c = peek();
        ++pos_;
        if (c == '}') break;
        if (c != ',') {
          --pos_;
          fail("expected ',' or '}'");
        }
      }
    }
    end_of_document();
    for (std::size_t i = 0; i + 1 < logs_at.size(); ++i) {
      pos_ = logs_at[i];
      (void)parse_value();  // an earlier "logs" is ignored, but must still be JSON
    }
    if (logs_at.empty() || text_[logs_at.back()] != '[') {
      if (!logs_at.empty()) {
        pos_ = logs_at.back();
        (void)parse_value();
      }
      throw g2a::Error(G2A_PARSE_FAILURE, fmt::format("{}: expected {{\"logs\": [...]}}", what_));
    }
    pos_ = logs_at.back();
    read_array(fn);
  }

  void end_of_document() {
    skip_space();
    if (!at_end()) fail("unexpected text after the document");
  }

 private:
  std::string_view text_;
  std::string_view what_;
  std::size_t pos_ = 0;
};

}  // namespace

void for_each_pro_call_log(std::string_view text, std::string_view what,
                           const std::function<void(const boost::json::value&)>& fn) {
  Reader(text, what).read(fn);
}

}  // namespace g2a::storage_file
