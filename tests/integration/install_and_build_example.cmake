# ctest fixture: install the build to a prefix, then build the SDK example out of tree
# against that prefix with find_package(grok2api CONFIG).
foreach(v BUILD_DIR SOURCE_DIR PREFIX EXAMPLE_BUILD)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "${v} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${PREFIX} ${EXAMPLE_BUILD})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/sdk/examples/log-sink-jsonl
  -B ${EXAMPLE_BUILD} -G Ninja -DCMAKE_PREFIX_PATH=${PREFIX} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the out-of-tree example failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${EXAMPLE_BUILD} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the out-of-tree example failed: ${rc}")
endif()
