/* Diagnostics on stderr, for people.  See diag_print.c. */
#ifndef K2E_CLI_DIAG_PRINT_H
#define K2E_CLI_DIAG_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "kube2ecs/diag.h"

/* At most this many diagnostics of one cause are printed when aggregating. */
#define K2E_CLI_SHOWN_PER_CAUSE 3

/* Prints the diagnostics `shown` accepts.  With `aggregate`, only the first
 * K2E_CLI_SHOWN_PER_CAUSE of each cause (code, path with list indexes
 * folded, hint) are printed, and one line per cause with more says how many
 * more there are (report.json keeps them all).  False when out of memory
 * (then everything was printed, unaggregated). */
bool k2e_cli_print_diagnostics(FILE *out, const k2e_diags *diags,
                               bool (*shown)(const void *context, const k2e_diag *diag),
                               const void *context, bool colour, bool aggregate);

#endif
