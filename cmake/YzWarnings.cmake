# yz_warnings: an INTERFACE target our own targets link PRIVATE, so third-party code never
# gets our warning flags. YZ_SANITIZE is applied here too, for the same reason.
add_library(yz_warnings INTERFACE)
target_compile_options(yz_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow
  $<$<BOOL:${YZ_WERROR}>:-Werror>)
if(YZ_SANITIZE)
  string(REPLACE ";" "," _yz_san "${YZ_SANITIZE}")
  target_compile_options(yz_warnings INTERFACE -fsanitize=${_yz_san} -fno-omit-frame-pointer)
  target_link_options(yz_warnings INTERFACE -fsanitize=${_yz_san})
endif()
if(YZ_FUZZ)
  # Coverage for libFuzzer in all of our own code; the fuzz executables add the fuzzer runtime.
  target_compile_options(yz_warnings INTERFACE -fsanitize=fuzzer-no-link)
endif()
