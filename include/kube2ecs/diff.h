/* kube2ecs diff: convert in memory and compare with a directory of ECS
 * files, semantically.
 *
 * The directory is laid out as `convert` writes it; each file may be in any
 * shape users keep (convert's own, describe-task-definition and
 * describe-services output, ecspresso's and ecs-deploy's files, ecschedule
 * YAML and `ecschedule dump`).  Both sides are normalised the way `ecspresso
 * diff` and `ecschedule diff` do before comparing (sorted sets, unit
 * spellings, defaults, read-only describe fields), so a difference is one
 * ECS would act on.  Nothing is written.
 *
 * Secrets: the converted side never holds a Secret's value (only valueFrom
 * ARNs), so neither does any difference.
 */
#ifndef KUBE2ECS_DIFF_H
#define KUBE2ECS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kube2ecs/convert.h"

typedef struct {
    k2e_convert_options convert; /* outdir is ignored: nothing is written */
    const char *against;         /* the directory to compare with */
} k2e_diff_options;

typedef enum {
    K2E_DIFF_CHANGED,  /* in both, different after normalisation */
    K2E_DIFF_MISSING,  /* converted, not in the directory */
    K2E_DIFF_EXTRA,    /* in the directory (where convert writes), not converted */
} k2e_diff_state;

/* One changed value.  expected/actual are JSON texts of the normalised
 * values; NULL where the value is absent on that side. */
typedef struct {
    char *path;  /* "containerDefinitions[name=api].image"; "" for a whole file */
    char *expected;
    char *actual;
} k2e_diff_change;

typedef struct {
    char *file;             /* relative path: "task-definitions/api.json" */
    k2e_diff_state state;
    char *unified;          /* CHANGED: the hunks ("@@ ... @@ file: path" lines) */
    k2e_diff_change *changes;
    size_t change_count;
} k2e_diff_file;

typedef struct {
    k2e_convert_result convert; /* diagnostics of the conversion and of reading DIR */
    k2e_diff_file *files;       /* every file that differs, in path order */
    size_t count, capacity;
    size_t compared;            /* files present on both sides */
} k2e_diff_result;

K2E_API void k2e_diff_result_init(k2e_diff_result *result);
K2E_API void k2e_diff_result_release(k2e_diff_result *result);

/* Returns K2E_EXIT_OK (equal), K2E_EXIT_DIFFERENCES, K2E_EXIT_INPUT (the
 * conversion failed, or DIR or one of its files cannot be read: error
 * diagnostics say where) or K2E_EXIT_INTERNAL. */
K2E_API int k2e_diff(const k2e_diff_options *options, const char *const *paths, size_t count,
                     k2e_diff_result *result);

/* Text: per file a unified diff ("--- converted/F", "+++ DIR/F", hunks),
 * missing and extra files as "missing: F" / "extra: F" lines.  colour adds
 * ANSI colours (the caller decides: a terminal, no NO_COLOR). */
K2E_API void k2e_diff_print_text(FILE *out, const k2e_diff_result *result, const char *against,
                                 bool colour);
/* JSON: an array of {"file", "path", "expected", "actual"} records; a
 * missing or extra file is one record with path "" and the whole
 * normalised document on its side, null on the other. */
K2E_API void k2e_diff_print_json(FILE *out, const k2e_diff_result *result);

#endif
