// data/video_tasks.json, the Pro video tasks:
//   {"tasks": {"<id>": VideoTask}, "meta": {"total_count": n, "last_save": <unix s>}}
// A file whose tasks are a list ({"tasks": [...]}), or that is a bare map or list of tasks,
// is loaded too and saved back in the same shape.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "collection_name.hpp"
#include "data_file.hpp"
#include "json_writer.hpp"

namespace g2a::storage_file {
namespace {

constexpr std::string_view kTasksMember = "tasks";
constexpr std::string_view kMetaMember = "meta";

enum class Shape { kWrappedMap, kWrappedList, kBareMap, kBareList };

class VideoTaskFile final : public DataFile {
 public:
  explicit VideoTaskFile(const std::filesystem::path& dir) : DataFile(dir / "video_tasks.json") {}

  std::vector<std::string_view> collections() const override { return {kVideoTasks}; }

  void check(std::string_view, std::string_view, const boost::json::value& doc) const override {
    if (!doc.is_object()) throw_bad_document(kVideoTasks, "a video task must be a JSON object");
  }

  void load(const boost::json::value& root, Collections& into, std::vector<std::string>&) override {
    Collection& tasks = into[std::string(kVideoTasks)];
    extras_.clear();
    meta_.clear();
    if (root.is_array()) {
      shape_ = Shape::kBareList;
      load_list(root.get_array(), tasks);
      return;
    }
    if (!root.is_object()) throw_bad_layout("expected a JSON object or array of video tasks");
    const boost::json::object& top = root.get_object();
    if (!top.contains(kTasksMember) && !top.contains(kMetaMember)) {
      shape_ = Shape::kBareMap;
      load_map(top, tasks);
      return;
    }
    for (const auto& member : top) {
      if (member.key() == kTasksMember) {
        if (member.value().is_object()) {
          shape_ = Shape::kWrappedMap;
          load_map(member.value().get_object(), tasks);
        } else if (member.value().is_array()) {
          shape_ = Shape::kWrappedList;
          load_list(member.value().get_array(), tasks);
        } else {
          throw_bad_layout("\"tasks\" must be an object or an array");
        }
      } else if (member.key() == kMetaMember) {
        if (member.value().is_object()) meta_ = member.value().get_object();
      } else {
        extras_.emplace(member.key(), member.value());
      }
    }
  }

  std::string render(const Collections& from, int64_t now_ms) const override {
    boost::json::object map;
    boost::json::array list;
    std::size_t count = 0;
    bool as_list = shape_ == Shape::kWrappedList || shape_ == Shape::kBareList;
    if (const Collection* tasks = find_collection(from, kVideoTasks)) {
      for (const auto& [key, json] : tasks->in_insertion_order()) {
        boost::json::value task = parse_stored(*json);
        ++count;
        if (as_list) {
          task.as_object()["id"] = *key;  // a list element is found again by its id
          list.push_back(std::move(task));
        } else {
          map.emplace(*key, std::move(task));
        }
      }
    }
    if (shape_ == Shape::kBareList) return to_pretty_json(list);
    if (shape_ == Shape::kBareMap) return to_pretty_json(map);

    boost::json::object meta = meta_;
    meta["total_count"] = count;
    meta["last_save"] = static_cast<double>(now_ms) / 1000.0;
    boost::json::object root;
    if (as_list)
      root.emplace(kTasksMember, std::move(list));
    else
      root.emplace(kTasksMember, std::move(map));
    root.emplace(kMetaMember, std::move(meta));
    for (const auto& member : extras_) root.emplace(member.key(), member.value());
    return to_pretty_json(root);
  }

 private:
  void load_map(const boost::json::object& map, Collection& tasks) const {
    for (const auto& item : map) {
      if (!item.value().is_object())
        throw_bad_layout(
            fmt::format("video task \"{}\" is not an object", std::string_view(item.key())));
      tasks.put(item.key(), to_compact_json(item.value()));
    }
  }

  void load_list(const boost::json::array& list, Collection& tasks) const {
    std::size_t index = 0;
    for (const auto& item : list) {
      const boost::json::string* id = nullptr;
      if (item.is_object())
        if (const auto* v = item.get_object().if_contains("id")) id = v->if_string();
      if (!id || id->empty())
        throw_bad_layout(
            fmt::format("video task #{} is not an object with a string \"id\"", index));
      tasks.put(*id, to_compact_json(item));
      ++index;
    }
  }

  Shape shape_ = Shape::kWrappedMap;
  boost::json::object meta_;    // the file's meta, kept for members we do not manage
  boost::json::object extras_;  // unknown top-level members, written back as found
};

}  // namespace

std::unique_ptr<DataFile> make_video_task_file(const std::filesystem::path& data_dir) {
  return std::make_unique<VideoTaskFile>(data_dir);
}

}  // namespace g2a::storage_file
