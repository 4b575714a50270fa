/* The file-system half of emit (write.c): how an output tree reaches OUTDIR.
 *
 * k2e_outputs_write (emit.h) is k2e_outputs_write_with and no options.  The
 * options are the seam the crash tests use: a hook called at every step of
 * the write, which a test turns into a SIGKILL of its own process at that
 * step, and a switch that forces the portable two-rename swap where Linux
 * would exchange the directories in one step.  No environment variable or
 * global reaches this code: a run is never steered from outside.
 */
#ifndef KUBE2ECS_WRITE_H
#define KUBE2ECS_WRITE_H

#include <stdbool.h>

#include "kube2ecs/convert.h"
#include "kube2ecs/diag.h"

/* The marker only kube2ecs writes: a file of this name at the top of every
 * output tree, whose first line is K2E_OUTPUT_MARKER_LINE.  A directory is
 * replaced only when it is empty or carries the marker. */
#define K2E_OUTPUT_MARKER ".kube2ecs-output"
#define K2E_OUTPUT_MARKER_LINE "kube2ecs output directory, format 1\n"

/* The steps, in the order they happen.  Some repeat (one per file). */
typedef enum {
    K2E_WRITE_TEMP_CREATED,       /* OUTDIR.new-<pid>-<n> exists, empty */
    K2E_WRITE_MARKED,             /* it carries the marker */
    K2E_WRITE_FILE_WRITTEN,       /* one more output file written and synced */
    K2E_WRITE_SYNCED,             /* the new tree's directories synced */
    K2E_WRITE_OLD_ASIDE,          /* two-rename swap only: OUTDIR moved to
                                     OUTDIR.old-<pid>-<n>, OUTDIR absent */
    K2E_WRITE_IN_PLACE,           /* the new tree is OUTDIR */
    K2E_WRITE_PARENT_SYNCED,      /* the rename is on disk */
    K2E_WRITE_OLD_ENTRY_REMOVED,  /* one entry of the previous tree removed */
    K2E_WRITE_DONE,
} k2e_write_step;

typedef void (*k2e_write_hook)(k2e_write_step step, void *context);

typedef struct {
    k2e_write_hook hook;  /* NULL: none */
    void *context;
    bool no_exchange;     /* use the two-rename swap even where exchange works */
} k2e_write_options;

bool k2e_outputs_write_with(const k2e_outputs *outputs, const char *outdir, k2e_diags *diags,
                            const k2e_write_options *options);

#endif
