/* The input files of a run: PATH arguments expanded.  See inputs.c. */
#ifndef K2E_READ_INPUTS_H
#define K2E_READ_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "report/diags.h"

/* Expands PATH arguments: files as given, directories recursively (files
 * ending .yaml/.yml/.json, hidden entries skipped, byte-wise sorted), "-"
 * for standard input.  Caller frees each string and the array. */
bool k2e_collect_inputs(const char *const *paths, size_t count, char ***files,
                        size_t *file_count, k2e_diags *diags);

#endif
