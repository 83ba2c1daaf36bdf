# Where tests find the tree and the build (compiled in, so a test binary run by hand works too).
set(YZ_TEST_PATHS
  YZ_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  YZ_TEST_STATIONS_DIR="${CMAKE_BINARY_DIR}/stations"
  YZ_TEST_FIXTURES_DIR="${CMAKE_BINARY_DIR}/fixtures"
  YZ_TEST_BINARY_DIR="${CMAKE_BINARY_DIR}")

# yz_add_test(<name> SOURCES file... [LINK target...] [LABELS l...] [DEPENDS target...])
#
# One doctest executable, linked with the shared doctest main (yz_test_main) and registered with
# CTest case by case. Tests find built stations and fixtures through the YZ_TEST_* definitions.
function(yz_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LINK;LABELS;DEPENDS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # doctest_discover_tests splits a test name at ';' and registers the pieces, which match no test
  # case and so "pass" without running anything. Refuse such names here, where it is cheap.
  foreach(_src IN LISTS ARG_SOURCES)
    file(STRINGS "${_src}" _bad REGEX "TEST_CASE[A-Z_]*\\([^\"]*\"[^\"]*;")
    if(_bad)
      message(FATAL_ERROR "${_src}: a test name contains ';', which CTest would split into tests that never run:\n${_bad}")
    endif()
  endforeach()
  add_executable(test_${name} ${ARG_SOURCES} $<TARGET_OBJECTS:yz_test_main>)
  target_link_libraries(test_${name} PRIVATE doctest::doctest yz_warnings ${ARG_LINK})
  target_compile_features(test_${name} PRIVATE cxx_std_20)
  target_compile_definitions(test_${name} PRIVATE ${YZ_TEST_PATHS})
  if(ARG_DEPENDS)
    add_dependencies(test_${name} ${ARG_DEPENDS})
  endif()
  # One label per test; an empty LABELS would swallow TIMEOUT as its value, so pass it only if given.
  set(_props TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    list(GET ARG_LABELS 0 _label)
    list(APPEND _props LABELS ${_label})
  endif()
  doctest_discover_tests(test_${name}
    TEST_PREFIX "${name}: "
    ADD_LABELS 0
    PROPERTIES ${_props})
endfunction()

# The doctest main, compiled once and shared by every test executable.
add_library(yz_test_main OBJECT "${PROJECT_SOURCE_DIR}/tests/support/doctest_main.cpp")
target_link_libraries(yz_test_main PRIVATE doctest::doctest)
target_compile_features(yz_test_main PRIVATE cxx_std_20)
