# Include boundaries between components.
#
# keepvip_component(<target> <folder> [AS <name>] [PRIVATE])
#   Gives <target> an include root of its own in the build tree, holding one
#   link, <name> (default: the folder's name) -> <folder>. Its sources and
#   everything that links <target> include "<name>/file.h"; nothing else can,
#   so a component that includes a header of one it does not link fails to
#   build instead of quietly depending on it. PRIVATE: for executables, whose
#   headers nobody else includes.
#
# keepvip_component_header(<target> <file> AS <name/file.h>)
#   The same for one header of another component's folder, for an INTERFACE
#   target that exports just that header (a model used as plain data).
function(keepvip_component target folder)
  cmake_parse_arguments(ARG "PRIVATE" "AS" "" ${ARGN})
  get_filename_component(name ${folder} NAME)
  if(ARG_AS)
    set(name ${ARG_AS})
  endif()
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${folder} ${root}/${name} SYMBOLIC)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    set(scope INTERFACE)
  elseif(ARG_PRIVATE)
    set(scope PRIVATE)
  else()
    set(scope PUBLIC)
  endif()
  target_include_directories(${target} ${scope} ${root})
endfunction()

function(keepvip_component_header target file)
  cmake_parse_arguments(ARG "" "AS" "" ${ARGN})
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  get_filename_component(dir ${root}/${ARG_AS} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  file(CREATE_LINK ${file} ${root}/${ARG_AS} SYMBOLIC)
  target_include_directories(${target} INTERFACE ${root})
endfunction()
