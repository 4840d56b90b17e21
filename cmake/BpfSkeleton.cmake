# keepvip_bpf_skeleton(<target> SOURCE <prog.bpf.c> [DEPENDS <headers>...])
#
# Compiles a BPF program with clang (-target bpf -O2 -g, kernel UAPI headers
# only, no vmlinux.h) and turns the object into a bpftool skeleton header
# <prog>.skel.h. <target> is an INTERFACE library: linking it makes the
# skeleton (and the source directory, for shared headers) includable and pulls
# in libbpf. The object is embedded in the skeleton; nothing .o is installed.

find_program(KEEPVIP_BPF_CLANG NAMES clang clang-14 clang-15 clang-16 REQUIRED)
find_program(KEEPVIP_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)

function(keepvip_bpf_skeleton target)
  cmake_parse_arguments(ARG "" "SOURCE" "DEPENDS" ${ARGN})
  if(NOT ARG_SOURCE)
    message(FATAL_ERROR "keepvip_bpf_skeleton: SOURCE is required")
  endif()
  get_filename_component(src ${ARG_SOURCE} ABSOLUTE)
  get_filename_component(name ${src} NAME)
  string(REGEX REPLACE "\\.bpf\\.c$" "" name ${name})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/bpf_skel)
  set(obj ${out_dir}/${name}.bpf.o)
  set(skel ${out_dir}/${name}.skel.h)

  # <linux/types.h> includes <asm/types.h>, which lives in the multiarch
  # directory on Debian; -target bpf does not search it by itself.
  set(arch_includes)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    list(APPEND arch_includes -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()

  add_custom_command(
    OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${KEEPVIP_BPF_CLANG} -target bpf -O2 -g -Wall -Werror
            -I${CMAKE_CURRENT_SOURCE_DIR} ${arch_includes} -c ${src} -o ${obj}
    DEPENDS ${src} ${ARG_DEPENDS}
    COMMENT "BPF ${name}.bpf.c"
    VERBATIM)
  add_custom_command(
    OUTPUT ${skel}
    COMMAND sh -c "\"$0\" gen skeleton \"$1\" name \"$2\" > \"$3\""
            ${KEEPVIP_BPFTOOL} ${obj} ${name}_bpf ${skel}
    DEPENDS ${obj}
    COMMENT "BPF skeleton ${name}.skel.h"
    VERBATIM)
  add_custom_target(${target}_generate DEPENDS ${skel})

  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_generate)
  target_include_directories(${target} INTERFACE ${out_dir} ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} INTERFACE PkgConfig::LIBBPF)
endfunction()
