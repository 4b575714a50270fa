# Turns a text file into a C string literal (one line per source line) so the
# embedded default mapping is the YAML file itself, byte for byte.
file(READ ${IN} content)
string(REPLACE "\\" "\\\\" content "${content}")
string(REPLACE "\"" "\\\"" content "${content}")
string(REPLACE "\n" "\\n\"\n\"" content "${content}")
file(WRITE ${OUT} "\"${content}\"\n")
