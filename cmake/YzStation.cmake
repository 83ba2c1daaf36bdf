# add_station_plugin(<id> SOURCES file... [VERSION x.y.z] [OUTPUT_DIR dir] [LINK target...] [NO_INSTALL]
#                    [TEST file...])
#
# Builds libstation_<id>.so as a MODULE that links only the plugin SDK: hidden visibility, no
# undefined symbols (-z defs), static dependencies not re-exported. Linking the core, httplib or
# SQLiteCpp is refused, because their types must never cross the plugin boundary.
# Every station lands in ${CMAKE_BINARY_DIR}/stations (or OUTPUT_DIR) and, unless NO_INSTALL, is
# recorded in the global property YZ_STATIONS (integration tests depend on all of them).
# TEST builds test_<id> from those files and the station's sources against the SDK's fake host
# (doctest, SQLite) and registers it with CTest: how a station built outside the tree is tested.
function(add_station_plugin id)
  cmake_parse_arguments(ARG "NO_INSTALL" "VERSION;OUTPUT_DIR" "SOURCES;LINK;TEST" ${ARGN})
  if(NOT id MATCHES "^[a-z][a-z0-9_]+$")
    message(FATAL_ERROR "add_station_plugin: id '${id}' must match [a-z][a-z0-9_]{1,31}")
  endif()
  string(LENGTH "${id}" _len)
  if(_len GREATER 32)
    message(FATAL_ERROR "add_station_plugin: id '${id}' is longer than 32 characters")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "add_station_plugin(${id}): SOURCES is required")
  endif()
  foreach(_lib IN LISTS ARG_LINK)
    if(_lib MATCHES "httplib|HTTPLIB|SQLiteCpp|SQLite|yz_core|OpenSSL")
      message(FATAL_ERROR "add_station_plugin(${id}): a station links only the SDK, not '${_lib}'")
    endif()
  endforeach()
  if(NOT ARG_VERSION)
    set(ARG_VERSION "${PROJECT_VERSION}")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_BINARY_DIR}/stations")
  endif()

  set(_target station_${id})
  add_library(${_target} MODULE ${ARG_SOURCES})
  set_target_properties(${_target} PROPERTIES
    OUTPUT_NAME station_${id}
    PREFIX lib
    LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_compile_features(${_target} PRIVATE cxx_std_17)
  target_link_libraries(${_target} PRIVATE yz::plugin_sdk ${ARG_LINK})
  if(TARGET yz_warnings)
    target_link_libraries(${_target} PRIVATE yz_warnings)
  endif()
  target_link_options(${_target} PRIVATE -Wl,-z,defs -Wl,--exclude-libs,ALL)
  target_compile_definitions(${_target} PRIVATE
    YZ_STATION_ID="${id}" YZ_STATION_VERSION="${ARG_VERSION}")
  if(ARG_TEST)
    find_package(doctest REQUIRED)
    find_package(SQLite3 REQUIRED)
    add_executable(test_${id} ${ARG_TEST} ${ARG_SOURCES})
    target_compile_features(test_${id} PRIVATE cxx_std_17)
    target_link_libraries(test_${id} PRIVATE yz::plugin_sdk doctest::doctest SQLite::SQLite3 ${ARG_LINK})
    target_compile_definitions(test_${id} PRIVATE YZ_STATION_ID="${id}" YZ_STATION_VERSION="${ARG_VERSION}")
    add_test(NAME ${id} COMMAND test_${id})
  endif()
  if(NOT ARG_NO_INSTALL)  # test fixtures are neither installed nor stations
    install(TARGETS ${_target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/yizhan/stations)
    set_property(GLOBAL APPEND PROPERTY YZ_STATIONS ${id})
  endif()
endfunction()
