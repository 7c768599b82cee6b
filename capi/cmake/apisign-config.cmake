# CMake package config for the apisign C library, installed by scripts/install-c.sh into
# <prefix>/lib/cmake/apisign/. find_package(apisign CONFIG) gives two targets:
#   apisign::apisign         the shared library (libapisign.so)
#   apisign::apisign_static  the static library (libapisign.a) with the system libraries it needs
# Paths are found from this file's folder, so the installed tree can be moved (relocatable).
get_filename_component(_apisign_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET apisign::apisign)
  add_library(apisign::apisign SHARED IMPORTED)
  set_target_properties(apisign::apisign PROPERTIES
    IMPORTED_LOCATION "${_apisign_prefix}/lib/libapisign.so"
    IMPORTED_SONAME "@APISIGN_SONAME@"
    INTERFACE_INCLUDE_DIRECTORIES "${_apisign_prefix}/include")
endif()

if(NOT TARGET apisign::apisign_static)
  add_library(apisign::apisign_static STATIC IMPORTED)
  # What a Rust staticlib needs on Linux (`--print native-static-libs`).
  set_target_properties(apisign::apisign_static PROPERTIES
    IMPORTED_LOCATION "${_apisign_prefix}/lib/libapisign.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES "C"
    INTERFACE_INCLUDE_DIRECTORIES "${_apisign_prefix}/include"
    INTERFACE_LINK_LIBRARIES "gcc_s;util;rt;pthread;m;dl")
endif()

unset(_apisign_prefix)
