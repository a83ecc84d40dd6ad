#include "rest_request.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace g2a::grok_chat {

RestCall rest_chat_call(const TurnRequest& req, std::string_view prompt) {
  namespace json = boost::json;
  json::array files;
  for (const auto& id : req.attachments) files.emplace_back(id);

  json::object b;
  b["collectionIds"] = json::array();
  b["disabledConnectorIds"] = json::array();
  // A plausible desktop browser; the site records it but does not check it.
  b["deviceEnvInfo"] =
      json::object{{"darkModeEnabled", false}, {"devicePixelRatio", 2},  {"screenHeight", 1328},
                   {"screenWidth", 2056},      {"viewportHeight", 1083}, {"viewportWidth", 2056}};
  b["disableMemory"] = true;
  b["disableSearch"] = req.options.disable_search;
  b["disableSelfHarmShortCircuit"] = false;
  b["disableTextFollowUps"] = false;
  b["enableImageGeneration"] = req.options.enable_image_generation;
  b["enableImageStreaming"] = true;
  b["enableSideBySide"] = true;
  b["fileAttachments"] = std::move(files);
  b["imageAttachments"] = json::array();
  b["imageGenerationCount"] = req.options.image_generation_count;
  b["forceConcise"] = false;
  b["forceSideBySide"] = false;
  b["isAsyncChat"] = false;
  b["message"] = prompt;
  b["modeId"] = req.mode;
  b["responseMetadata"] = json::object();
  b["returnImageBytes"] = false;
  b["returnRawGrokInXaiRequest"] = false;
  b["sendFinalMetadata"] = true;
  b["temporary"] = req.options.temporary;
  b["toolOverrides"] = json::object{{"gmailSearch", false},
                                    {"googleCalendarSearch", false},
                                    {"outlookSearch", false},
                                    {"outlookCalendarSearch", false},
                                    {"googleDriveSearch", false}};
  RestCall call;
  if (req.continuation) {
    b["responseId"] = req.continuation->parent_response_id;
    call.path = "/rest/app-chat/conversations/" + req.continuation->conversation_id + "/responses";
  } else {
    call.path = "/rest/app-chat/conversations/new";
  }
  call.body = json::serialize(b);
  return call;
}

}  // namespace g2a::grok_chat
