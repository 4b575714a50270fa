/* The strict gate: which findings of a run fail it under --strict.
 *
 * A finding counts when its code is not allowed and it is a warning, or
 * its code is denied (any severity), or it is one of the findings that
 * always count (an object of an unknown kind: the run converted less than
 * the input holds, whatever severity that code has today).  A counted
 * finding that the baseline lists is accepted; the rest fail the run.
 * Errors are not the gate's business: they fail every run.
 *
 * The baseline is the report.json of an accepted run or a text file of
 * "CODE FILE [PATH]" lines (# comments, blank lines); an entry with a PATH
 * accepts one finding of that code, file and Kubernetes path (as many as it
 * is listed), one without accepts every finding of that code in the file.
 * Line numbers are not part of the key: editing a manifest moves them. */
#ifndef K2E_REPORT_GATE_H
#define K2E_REPORT_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "kube2ecs/diag.h"

typedef struct k2e_baseline_entry k2e_baseline_entry;

typedef struct {
    bool allow[K2E_DIAG_CODE_COUNT];
    bool deny[K2E_DIAG_CODE_COUNT];
    k2e_baseline_entry *entries;
    size_t entry_count, entry_capacity;
} k2e_gate;

void k2e_gate_init(k2e_gate *gate);
void k2e_gate_release(k2e_gate *gate);

/* Adds allowed or denied codes ("K2E-W010"); an unknown code is K2E-E101
 * at `origin` (a command-line option or the mapping table's key).  False
 * after an error. */
bool k2e_gate_allow(k2e_gate *gate, const char *code, bool deny, k2e_where origin,
                    k2e_diags *diags);

/* Reads a baseline file; false after a K2E-E101 error. */
bool k2e_gate_read_baseline(k2e_gate *gate, const char *path, k2e_diags *diags);

/* Whether a finding counts (before the baseline). */
bool k2e_gate_counts(const k2e_gate *gate, const k2e_diag *diag);

/* Marks failing[i] for every finding of `diags` that counts and is not
 * accepted by the baseline; returns how many.  Baseline entries are used
 * up in the order of `diags` (the report order). */
size_t k2e_gate_apply(k2e_gate *gate, const k2e_diags *diags, bool *failing);

#endif
