/* The conversion pipeline: paths -> read -> index -> map -> emit -> report.
 *
 * k2e_convert is the whole `kube2ecs convert` minus argument parsing and
 * printing: it returns the diagnostics and the output set as values and
 * writes OUTDIR only when asked to and only when the run succeeded (or
 * keep_going is set).
 */
#ifndef KUBE2ECS_CONVERT_H
#define KUBE2ECS_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "kube2ecs/diag.h"

/* One output file, serialised: what `convert` writes under OUTDIR. */
typedef struct {
    char *path;      /* relative, '/'-separated: "task-definitions/api.json" */
    char *content;
    size_t length;
} k2e_output;

typedef struct {
    k2e_output *items;
    size_t count;
    size_t capacity;
} k2e_outputs;

/* The output named `path` ("task-definitions/api.json"), or NULL. */
K2E_API const k2e_output *k2e_outputs_get(const k2e_outputs *outputs, const char *path);
K2E_API bool k2e_outputs_has(const k2e_outputs *outputs, const char *path);

/* Extra output formats (--format), besides the plain AWS CLI inputs. */
enum {
    K2E_FORMAT_ECSPRESSO = 1 << 0,  /* ecspresso/<name>/{ecspresso.yml,ecs-task-def.json,...} */
    K2E_FORMAT_ECS_DEPLOY = 1 << 1, /* ecs-deploy/<family>.json ({"taskDefinition": ...}) */
};

/* Extra layouts of consolidated batch families (--layout, with consolidate). */
enum {
    K2E_LAYOUT_YTT = 1 << 0,  /* ytt/<family>/: base-task-def.json, config.yaml, tasks/ */
};

/* Exit statuses, shared by every subcommand and documented in --help. */
enum {
    K2E_EXIT_OK = 0,
    K2E_EXIT_DIFFERENCES = 1, /* diff found differences, or --strict warnings */
    K2E_EXIT_INPUT = 2,       /* input or usage error */
    K2E_EXIT_INTERNAL = 3,    /* bug or resource exhaustion, the output's file
                                 system included (no space, read-only, permission,
                                 name too long: k2e_outputs_write_status) */
};

typedef struct {
    const char *mapping_path;      /* NULL: embedded default only */
    const char *outdir;            /* NULL: do not write */
    const char *default_namespace; /* NULL: "default" */
    bool strict;
    bool keep_going;
    unsigned formats;              /* K2E_FORMAT_* */
    /* The compiled time-zone database (tzdata) that CronJob timeZones are
     * read from; NULL: /usr/share/zoneinfo.  The CLI passes $TZDIR. */
    const char *zoneinfo_dir;
    /* The strict gate (used when strict is set).  baseline_path: the
     * report.json of an accepted run or "CODE FILE [PATH]" lines: only
     * findings it does not list fail the run.  allow: codes that never
     * count; deny: codes that count whatever their severity.  The mapping
     * table's strict: {allow, deny} adds to both lists. */
    const char *baseline_path;
    const char *const *allow;
    size_t allow_count;
    const char *const *deny;
    size_t deny_count;
    const char *const *excludes;   /* --exclude GLOB patterns for directory walks */
    size_t exclude_count;
    /* Progress, called after each file read and each object converted (the
     * caller decides whether and how often to show it); may be NULL. */
    void (*progress)(void *context, size_t files_read, size_t objects_read,
                     size_t objects_converted);
    void *progress_context;
    /* Batch consolidation (converter/schedules/batch.c): CronJobs and Jobs
     * whose task definitions differ only in what overrides can carry share
     * one task definition; their rules and run-task files get overrides. */
    bool consolidate;
    unsigned layouts;              /* K2E_LAYOUT_*, with consolidate */
    /* Every ecschedule rule written with disabled: true (the cut-over
     * switch; the mapping's schedules.state: disabled does the same). */
    bool schedules_disabled;
    /* The batch plan only: outputs hold batch-plan.json and batch-plan.txt
     * and nothing is written; the status is 0 whenever a plan was made
     * (objects that failed to convert are listed in it). */
    bool plan_batch;
} k2e_convert_options;

typedef struct {
    k2e_diags diags;
    k2e_outputs outputs;     /* includes report.json */
    size_t files_read;
    size_t files_skipped;    /* recognised as not Kubernetes (K2E-I002) */
    size_t objects_read;
    size_t objects_converted;
    bool written;
    /* Under strict: the findings that fail the run (counted by the gate and
     * not in the baseline), failing[i] for diags.items[i]; NULL otherwise. */
    bool *failing;
    size_t failures;
} k2e_convert_result;

K2E_API void k2e_convert_result_init(k2e_convert_result *result);
K2E_API void k2e_convert_result_release(k2e_convert_result *result);

/* Runs the pipeline; returns one of the exit statuses above. */
K2E_API int k2e_convert(const k2e_convert_options *options, const char *const *paths,
                size_t count, k2e_convert_result *result);

#endif
