/* Check mode: what makes a run fail under --strict (the gate, report/gate.h,
 * fed from the options and the mapping table's strict: section) and what
 * report.json records about the run (tool version, mapping file digest,
 * input files), so that a CI artifact says what produced it. */
#ifndef K2E_CONVERT_CHECK_H
#define K2E_CONVERT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "kube2ecs/convert.h"
#include "read/mapping_table.h"
#include "report/gate.h"

/* Fills the gate from the options and the mapping; false after a K2E-E101
 * error (unknown code, unreadable baseline). */
bool k2e_check_setup(const k2e_convert_options *options, const k2e_mapping *mapping,
                     k2e_gate *gate, k2e_diags *diags);

/* r->failing and r->failures from the (sorted) diagnostics; false when out
 * of memory. */
bool k2e_check_apply(k2e_gate *gate, k2e_convert_result *r);

/* {"tool": {name, version}, "mapping": {file, sha256} | null,
 *  "inputs": [files]} */
json_t *k2e_check_provenance(const k2e_convert_options *options, const k2e_file *files,
                             size_t count);

/* {"strict": true, "failures": N, "baseline": FILE | null}, or NULL when
 * the run was not strict. */
json_t *k2e_check_summary(const k2e_convert_options *options, const k2e_convert_result *r);

#endif
