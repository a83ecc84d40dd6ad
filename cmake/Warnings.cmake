# Warnings as errors for our own targets only.
function(g2a_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
