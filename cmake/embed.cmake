# cmake/embed.cmake — turns one file into a C source that defines
#   const unsigned char NAME[];  (the bytes, then a NUL not counted)
#   const size_t NAME_len;
# so data ships inside libdoge and works without a source tree. No xxd.
# Run as: cmake -DIN=path -DOUT=path.c -DNAME=symbol -P cmake/embed.cmake
if(NOT IN OR NOT OUT OR NOT NAME)
  message(FATAL_ERROR "embed.cmake needs -DIN=, -DOUT= and -DNAME=")
endif()
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR len "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" body "${body}")
get_filename_component(in_name "${IN}" NAME)
file(WRITE "${OUT}.tmp"
  "/* ${in_name}, embedded by cmake/embed.cmake at build time; do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const unsigned char ${NAME}[];\n"
  "extern const size_t ${NAME}_len;\n"
  "const unsigned char ${NAME}[] = {\n${body}0x00};\n"
  "const size_t ${NAME}_len = ${len};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
