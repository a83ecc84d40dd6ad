# A plugin module: built into lib/grok2api/<name>.so and installed to the same relative
# place, where the server finds it beside its own binary.
function(g2a_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE grok2api::sdk)
  set_target_properties(${name} PROPERTIES PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${G2A_PLUGIN_OUTPUT_DIR})
  # Export only the entry point, so a plugin's copies of library templates never
  # interpose on the host's or another plugin's.
  target_link_options(${name} PRIVATE -Wl,--version-script=${PROJECT_SOURCE_DIR}/sdk/cmake/plugin-exports.map)
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${PROJECT_SOURCE_DIR}/sdk/cmake/plugin-exports.map)
  g2a_warnings(${name})
  install(TARGETS ${name} LIBRARY DESTINATION lib/grok2api)
endfunction()
