# YzPluginSdk: build a yizhan station outside the yizhan tree.
#
#   find_package(YzPluginSdk REQUIRED)
#   add_station_plugin(<id> SOURCES <id>.cpp [VERSION x.y.z] [TEST test_<id>.cpp])
#
# gives libstation_<id>.so, built exactly as the stations in the yizhan tree are (see
# YzStation.cmake), and with TEST a unit test against the SDK's fake host (yz/plugin_testing.hpp),
# registered with CTest. Install it with `cmake --install <yizhan build> --component sdk`.
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json)
include("${CMAKE_CURRENT_LIST_DIR}/YzPluginSdkTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/YzStation.cmake")
enable_testing()  # here, at the directory that found the SDK: CTest ignores it inside a function
