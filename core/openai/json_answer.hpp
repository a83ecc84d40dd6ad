// response_format json_object / json_schema for a model without a JSON mode: asked for by
// instruction, then checked before the client sees it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace g2a::openai {

// The system instruction for "json_object" or "json_schema" (with the schema); "" for
// any other format.
std::string json_instruction(std::string_view format, std::string_view schema_json);

struct JsonAnswer {
  std::string text;   // the JSON object, code fences stripped; valid when error is empty
  std::string error;  // why the answer is not acceptable
};

// Checks an answer: it must parse as one JSON object. For json_schema only a subset is
// enforced: the top-level required keys exist and top-level properties have the declared
// primitive types (string, number, integer, boolean, object, array, null). Nested schemas,
// enums, patterns and additionalProperties are not checked.
JsonAnswer check_json_answer(std::string_view answer, std::string_view schema_json);

// Trims whitespace and one surrounding ``` fence (with an optional language tag).
std::string strip_code_fence(std::string_view text);

}  // namespace g2a::openai
