# Turns a text file into the body of a C char array (hex bytes and a final
# NUL) so the embedded default mapping is the YAML file itself, byte for
# byte; an array, because ISO C caps string literals at 4,095 characters.
file(READ ${IN} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," content "${content}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" content "${content}")
file(WRITE ${OUT} "${content}0x00\n")
