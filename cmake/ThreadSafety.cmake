# gongkai_thread_safety_check(NAME file.cc...)
#
# Adds the CTest test NAME that runs clang's thread-safety analysis
# (-Wthread-safety, as errors) over the given sources of the current
# directory, so that ABSL_GUARDED_BY / ABSL_EXCLUSIVE_LOCKS_REQUIRED are
# checked even though the build itself uses g++ (which ignores them). The
# include directories are those of the current directory plus the build
# tree and Abseil's; nothing is compiled, only parsed.
#
# Without clang++ the test is registered anyway and reports itself skipped,
# saying why.

find_program(GONGKAI_CLANGXX NAMES clang++-14 clang++
  DOC "clang++ for the thread-safety analysis tests")

function(gongkai_thread_safety_check name)
  if(NOT GONGKAI_BUILD_TESTS)
    return()
  endif()
  set(sources)
  foreach(file IN LISTS ARGN)
    if(NOT IS_ABSOLUTE "${file}")
      set(file "${CMAKE_CURRENT_SOURCE_DIR}/${file}")
    endif()
    list(APPEND sources "${file}")
  endforeach()
  if(NOT GONGKAI_CLANGXX)
    add_test(NAME ${name} COMMAND sh -c
      "echo '${name} skipped: clang++ (clang-14) is not installed; the thread-safety annotations were not checked'; exit 77")
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
    return()
  endif()
  get_property(dirs DIRECTORY PROPERTY INCLUDE_DIRECTORIES)
  list(APPEND dirs "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}")
  foreach(target IN ITEMS absl::base absl::synchronization SQLite::SQLite3)
    if(TARGET ${target})
      get_target_property(target_dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
      if(target_dirs)
        list(APPEND dirs ${target_dirs})
      endif()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES dirs)
  set(includes)
  foreach(dir IN LISTS dirs)
    # System directories come last on clang's own search path already.
    if(NOT dir STREQUAL "/usr/include")
      list(APPEND includes "-I${dir}")
    endif()
  endforeach()
  add_test(NAME ${name}
    COMMAND ${GONGKAI_CLANGXX} -fsyntax-only -std=c++20 -Wthread-safety
      -Werror=thread-safety -Wno-unknown-warning-option ${includes} ${sources}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()
