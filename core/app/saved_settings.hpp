// The settings saved through the admin API: the "settings" collection, one document a
// section. Read at start-up, by the admin API before it merges a save, and by every
// instance's shared sync to notice a save made elsewhere.
#pragma once

#include <boost/json/object.hpp>

#include <string>

namespace g2a::storage {
class Store;
}

namespace g2a::app {

// {"section":{...}}; a document that is not a JSON object is left out.
boost::json::object saved_settings_object(storage::Store& store);

// The same serialized ("" when none): what config::Sources::saved_json takes.
std::string saved_settings(storage::Store& store);

}  // namespace g2a::app
