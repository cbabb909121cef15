# GCC 12's libstdc++ gives a false -Wrestrict warning ("__builtin_memcpy ... accessing
# 9223372036854775810 or more bytes ... may overlap") when `"literal" + std::string&&` is inlined
# at -O2 and above (seen also by opentelemetry-cpp issue #2134, dyninst #1422); the code is
# correct and GCC 13 no longer warns. With -Wrestrict off (and with precompiled headers) the same
# call is reported by -Wstringop-overflow instead ("specified bound between 9223372036854775810
# and 18446744073709551615 exceeds maximum object size"). Both are silenced for exactly the
# translation units that trigger them in a Release build; every other file keeps both warnings.
# jo_silence_gcc12_restrict(DIR file...): paths relative to DIR, for targets defined in DIR's
# CMakeLists.txt.
function(jo_silence_gcc12_restrict dir)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 13)
    return()
  endif()
  foreach(f ${ARGN})
    set_property(SOURCE ${dir}/${f} APPEND PROPERTY COMPILE_OPTIONS -Wno-restrict -Wno-stringop-overflow)
  endforeach()
endfunction()
