// Turns one host batch into the bodies a receiver gets: records selected (all or failures
// only), split into chunks of at most batch_size, each formatted as a JSON array or NDJSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "webhook_config.hpp"

namespace g2a::webhook {

// True when the record is a failure: "success" is false (or missing / not a boolean) or
// the record is a state event ("type" other than "call"), which receivers alert on.
bool is_failure(std::string_view record);

std::vector<std::string> build_bodies(const std::vector<std::string_view>& records,
                                      const Receiver& receiver);

std::string_view content_type(Format format);

}  // namespace g2a::webhook
