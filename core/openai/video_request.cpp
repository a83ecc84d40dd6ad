#include "core/openai/video_request.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include <cctype>
#include <map>
#include <optional>

#include "core/http/form_urlencoded.hpp"
#include "core/http/multipart.hpp"
#include "core/media/image_input.hpp"

namespace g2a::openai {
namespace json = boost::json;
using video::VideoError;

namespace {

constexpr const char* kRef = "input_reference";
constexpr const char* kRefUrl = "input_reference[image_url]";
constexpr const char* kRefFileId = "input_reference[file_id]";

VideoError invalid(const std::string& param, const std::string& message,
                   std::string code = "invalid_value") {
  return VideoError(400, param, std::move(code), message);
}

// The text fields of a body, whatever its encoding, and the reference file part.
struct Fields {
  std::map<std::string, std::string, std::less<>> text;  // the first value of each name
  std::optional<http::MultipartPart> file;               // input_reference as a file

  const std::string* get(std::string_view name) const {
    auto it = text.find(name);
    return it == text.end() ? nullptr : &it->second;
  }
  void set(std::string name, std::string value) { text.emplace(std::move(name), std::move(value)); }
};

// A JSON member as text: strings as they are; for seconds also an integer. null is absent.
void json_text(Fields& f, const json::object& o, const char* name, bool integer_too = false) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return;
  if (v->is_string()) {
    f.set(name, std::string(v->as_string()));
    return;
  }
  if (integer_too) {
    if (v->is_int64()) return f.set(name, std::to_string(v->as_int64()));
    if (v->is_uint64()) return f.set(name, std::to_string(v->as_uint64()));
    throw invalid(name,
                  std::string("`") + name + "` must be an integer or a string such as \"8\".");
  }
  throw invalid(name, std::string("`") + name + "` must be a string.");
}

Fields json_fields(std::string_view body) {
  json::value v;
  boost::system::error_code ec;
  v = json::parse(body, ec);
  if (ec) throw invalid("", "The body is not valid JSON.", "invalid_json");
  if (!v.is_object()) throw invalid("", "The body must be a JSON object.", "invalid_json");
  const auto& o = v.as_object();
  Fields f;
  for (const char* name : {"prompt", "model", "size", "user"}) json_text(f, o, name);
  json_text(f, o, "seconds", /*integer_too=*/true);
  const auto* ref = o.if_contains(kRef);
  if (!ref || ref->is_null()) return f;
  if (ref->is_string()) {
    f.set(kRef, std::string(ref->as_string()));
  } else if (ref->is_object()) {
    const auto& r = ref->as_object();
    if (const auto* url = r.if_contains("image_url"); url && !url->is_null()) {
      if (!url->is_string())
        throw invalid(kRef, "`input_reference.image_url` must be a string (a URL or data: URL).");
      f.set(kRefUrl, std::string(url->as_string()));
    }
    if (const auto* id = r.if_contains("file_id"); id && !id->is_null())
      f.set(kRefFileId, id->is_string() ? std::string(id->as_string()) : std::string("?"));
    if (!f.get(kRefUrl) && !f.get(kRefFileId))
      throw invalid(kRef, "`input_reference` must have an `image_url` (or be a file part).");
  } else {
    throw invalid(kRef, "`input_reference` must be an object {\"image_url\": \"...\"} or a URL.");
  }
  return f;
}

Fields multipart_fields(std::string_view content_type, std::string_view body) {
  std::vector<http::MultipartPart> parts;
  try {
    parts = http::parse_form_data(content_type, body);
  } catch (const http::MultipartError& e) {
    throw invalid("", std::string("The multipart/form-data body cannot be read: ") + e.what() + ".",
                  "invalid_multipart");
  }
  Fields f;
  for (auto& p : parts) {
    if (p.filename && (p.name == kRef || p.name == kRefUrl)) {
      // An empty file part is what a form sends when no file was chosen.
      if (!f.file && !p.data.empty()) f.file = std::move(p);
      continue;
    }
    f.set(std::move(p.name), std::move(p.data));
  }
  return f;
}

Fields form_fields(std::string_view body) {
  Fields f;
  for (auto& [name, value] : http::parse_form_urlencoded(body))
    f.set(std::move(name), std::move(value));
  return f;
}

std::string_view media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back())))
    type.remove_suffix(1);
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front())))
    type.remove_prefix(1);
  return type;
}

Fields read_fields(std::string_view content_type, std::string_view body) {
  std::string_view type = media_type(content_type);
  if (boost::algorithm::istarts_with(type, "multipart/form-data"))
    return multipart_fields(content_type, body);
  if (boost::algorithm::istarts_with(type, "application/x-www-form-urlencoded"))
    return form_fields(body);
  // JSON, also when the type is missing or says text/plain (curl -d without -H).
  return json_fields(body);
}

std::string required_prompt(const Fields& f) {
  const std::string* prompt = f.get("prompt");
  if (!prompt || prompt->empty())
    throw invalid("prompt", "`prompt` is required (a non-empty string).",
                  "missing_required_parameter");
  return *prompt;
}

std::string mb(size_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

// A reference given as text: an http(s) URL to fetch, or a data: URL (or raw base64) of an
// image.
video::ReferenceInput text_reference(std::string_view value, const std::string& param,
                                     size_t max_bytes) {
  video::ReferenceInput ref;
  try {
    auto read = media::read_image_ref(value, max_bytes);
    ref.url = std::move(read.url);
    ref.bytes = std::move(read.image.bytes);
    ref.mime = std::move(read.image.mime);
  } catch (const media::ImageInputError& e) {
    throw invalid(param, std::string("Invalid `") + param + "`: " + e.what() + ".");
  }
  return ref;
}

video::ReferenceInput file_reference(http::MultipartPart part, size_t max_bytes) {
  if (part.data.size() > max_bytes)
    throw invalid(kRef, "The `input_reference` file is larger than " + mb(max_bytes) + ".");
  video::ReferenceInput ref;
  std::string_view type = media_type(part.content_type);
  // A Blob without a type arrives as application/octet-stream: the bytes say what it is.
  if (type.empty() || type == "application/octet-stream") type = media::sniff_image_type(part.data);
  ref.mime = std::string(type);
  ref.filename = part.filename.value_or("");
  ref.bytes = std::move(part.data);
  return ref;
}

video::ReferenceInput reference(Fields& f, size_t max_bytes) {
  if (f.get(kRefFileId))
    throw invalid(kRef,
                  "`input_reference[file_id]` is not supported (there is no Files API here): send "
                  "the image as a file part or as `input_reference[image_url]`.");
  if (f.file) return file_reference(std::move(*f.file), max_bytes);
  for (const char* name : {kRefUrl, kRef}) {
    const std::string* value = f.get(name);
    if (value && !value->empty()) return text_reference(*value, name, max_bytes);
  }
  return {};
}

std::string text_or_empty(const Fields& f, std::string_view name) {
  const std::string* v = f.get(name);
  return v ? *v : std::string();
}

}  // namespace

video::CreateInput parse_video_create(std::string_view content_type, std::string_view body,
                                      size_t max_reference_bytes) {
  Fields f = read_fields(content_type, body);
  video::CreateInput in;
  in.prompt = required_prompt(f);
  in.model = text_or_empty(f, "model");
  in.seconds = text_or_empty(f, "seconds");
  in.size = text_or_empty(f, "size");
  in.user = text_or_empty(f, "user");
  in.reference = reference(f, max_reference_bytes);
  return in;
}

VideoRemixInput parse_video_remix(std::string_view content_type, std::string_view body) {
  Fields f = read_fields(content_type, body);
  VideoRemixInput in;
  in.prompt = required_prompt(f);
  in.user = text_or_empty(f, "user");
  return in;
}

}  // namespace g2a::openai
