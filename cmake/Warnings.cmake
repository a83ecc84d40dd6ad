# Warnings as errors for our own targets only.
function(g2a_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # g++ 12's flow analysis reports impossible std::string copies at -O2/-O3 (GCC bugs
    # 105329, 105651 and kin): shown, but not fatal.
    target_compile_options(${target} PRIVATE -Wno-error=restrict -Wno-error=array-bounds
      -Wno-error=stringop-overflow -Wno-error=maybe-uninitialized)
  endif()
endfunction()
