# sb_module(NAME DIR [DEPS targets...])
# One static library per module. Sources are every *.cpp below DIR except main.cpp.
# The dependency rule of ARCHITECTURE.md lives in the DEPS lists: a module can only
# include what it links.
function(sb_module name dir)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/${dir}/*.cpp")
  list(FILTER srcs EXCLUDE REGEX "/main\\.cpp$")
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC "${CMAKE_SOURCE_DIR}")
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  else()  # a module whose code has not been written yet
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE "${CMAKE_SOURCE_DIR}")
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()

# sb_test_suite(MODULE_DIR DEPS...) : tests/<MODULE_DIR>/**/*_test.cpp -> test_<name>
function(sb_test_suite dir)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/${dir}/*.cpp")
  if(NOT srcs)
    return()
  endif()
  string(REPLACE "/" "_" exe "test_${dir}")
  add_executable(${exe} ${srcs})
  target_link_libraries(${exe} PRIVATE ${ARG_DEPS} sb_test_support GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${exe} WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS ${dir})
endfunction()
