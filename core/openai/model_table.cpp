#include "core/openai/model_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace g2a::openai {
namespace {

const std::vector<std::string> kAll = {"basic", "super", "heavy"};
const std::vector<std::string> kPaid = {"super", "heavy"};
const std::vector<std::string> kHeavy = {"heavy"};
const std::vector<std::string> kModes = {"fast", "auto", "expert", "heavy",
                                         "grok-420-computer-use-sa"};
const std::vector<std::string> kImageModes = {"imagine", "imagine-pro", "lite"};
const std::vector<std::string> kVideoModes = {"imagine-video-gen"};

const std::vector<std::string>& modes_of(ModelKind kind) {
  return kind == ModelKind::kChat ? kModes : kind == ModelKind::kImage ? kImageModes : kVideoModes;
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string_view ModelTable::kind_name(ModelKind k) {
  switch (k) {
    case ModelKind::kChat:
      return "chat";
    case ModelKind::kImage:
      return "image";
    case ModelKind::kVideo:
      return "video";
  }
  return "chat";
}

ModelTable ModelTable::defaults() {
  ModelTable t;
  auto chat = [&](std::string id, std::string mode, const std::vector<std::string>& tiers,
                  std::string description, bool listed = true) {
    t.put(
        {std::move(id), ModelKind::kChat, std::move(mode), tiers, listed, std::move(description)});
  };
  // The modes themselves.
  chat("fast", "fast", kAll, "grok.com Fast mode");
  chat("auto", "auto", kPaid, "grok.com Auto mode");
  chat("expert", "expert", kPaid, "grok.com Expert mode (reasoning)");
  chat("heavy", "heavy", kHeavy, "grok.com Heavy mode (multi-agent)");
  chat("grok-420-computer-use-sa", "grok-420-computer-use-sa", kPaid, "grok.com computer-use beta");
  // The Pro service's ids, kept for its clients.
  chat("grok-3-fast", "fast", kAll, "Pro id, served by Fast");
  chat("grok-4-fast", "fast", kAll, "Pro id, served by Fast");
  chat("grok-4-fast-expert", "expert", kPaid, "Pro id, served by Expert");
  chat("grok-4-expert", "expert", kPaid, "Pro id, served by Expert");
  chat("grok-4-heavy", "heavy", kHeavy, "Pro id, served by Heavy");
  chat("grok-4.1", "fast", kAll, "Pro id, served by Fast");
  chat("grok4.1", "fast", kAll, "Pro alias of grok-4.1", /*listed=*/false);
  chat("grok-4.1-thinking", "expert", kPaid, "Pro id, served by Expert");
  chat("grok-4-1-fast-non-reasoning", "fast", kAll, "Pro id, served by Fast");
  chat("grok-4.3", "grok-420-computer-use-sa", kPaid, "served by the computer-use beta");
  // Images: the imagine socket, its pro variant, and the lite images of a chat turn.
  t.put({"grok-imagine-image", ModelKind::kImage, "imagine", kAll, true, "imagine WebSocket"});
  t.put({"grok-imagine-image-2.0", ModelKind::kImage, "imagine-pro", kAll, true,
         "imagine WebSocket, pro variant"});
  t.put({"grok-imagine-image-lite", ModelKind::kImage, "lite", kAll, true,
         "images drawn by a Fast chat turn"});
  // Video (the Video API).
  for (const char* id : {"grok-imagine-0.9", "sora-2", "sora-2-pro"})
    t.put({id, ModelKind::kVideo, "imagine-video-gen", kAll, true, "grok.com imagine video"});
  return t;
}

const ModelEntry* ModelTable::find(const std::string& id) const {
  for (const auto& e : entries_)
    if (e.id == id) return &e;
  return nullptr;
}

ModelTable ModelTable::with_settings(const std::vector<config::ModelSetting>& entries) {
  ModelTable t = defaults();
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& s = entries[i];
    auto where = [&](const char* column) { return "models[" + std::to_string(i) + "]." + column; };
    const ModelEntry* base = t.find(s.id);
    ModelEntry e = base ? *base : ModelEntry{s.id, ModelKind::kChat, "", kAll, true, ""};
    if (!s.kind.empty())
      e.kind = s.kind == "image"   ? ModelKind::kImage
               : s.kind == "video" ? ModelKind::kVideo
                                   : ModelKind::kChat;
    if (!s.mode.empty()) e.mode = s.mode;
    if (!s.tiers.empty()) e.tiers = s.tiers;
    if (!s.description.empty()) e.description = s.description;
    e.listed = s.listed;
    if (e.id.empty()) throw config::ConfigError(where("id"), "expected a non-empty model id");
    if (e.mode.empty())
      throw config::ConfigError(where("mode"),
                                "expected one of " + joined(modes_of(e.kind)) + " for the new " +
                                    std::string(kind_name(e.kind)) + " model '" + e.id + "'");
    if (!contains(modes_of(e.kind), e.mode))
      throw config::ConfigError(where("mode"), "expected one of " + joined(modes_of(e.kind)) +
                                                   " for a " + std::string(kind_name(e.kind)) +
                                                   " model, got \"" + e.mode + "\"");
    for (const auto& tier : e.tiers)
      if (!contains(kAll, tier))
        throw config::ConfigError(where("tiers"),
                                  "expected basic, super or heavy, got \"" + tier + "\"");
    t.put(std::move(e));
  }
  return t;
}

void ModelTable::put(ModelEntry e) {
  if (e.id.empty()) throw std::invalid_argument("a model needs an id");
  // A video model's mode names the adapter plugin that serves it; any is accepted here.
  if (e.kind == ModelKind::kVideo ? e.mode.empty() : !contains(modes_of(e.kind), e.mode))
    throw std::invalid_argument("model " + e.id + ": unknown mode '" + e.mode + "'");
  if (e.tiers.empty()) throw std::invalid_argument("model " + e.id + ": no account tier");
  for (const auto& tier : e.tiers)
    if (std::find(kAll.begin(), kAll.end(), tier) == kAll.end())
      throw std::invalid_argument("model " + e.id + ": unknown tier '" + tier + "'");
  for (auto& existing : entries_)
    if (existing.id == e.id) {
      existing = std::move(e);
      return;
    }
  entries_.push_back(std::move(e));
}

}  // namespace g2a::openai
