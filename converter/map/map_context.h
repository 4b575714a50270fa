/* What every mapper shares while the map stage runs: the index to resolve
 * references, the mapping table, the diagnostics sink, the output model the
 * mappers fill, and bookkeeping that lets the pipeline report what nobody
 * used (placeholders, ConfigMaps).  The mapper never touches files or text:
 * outputs are values in `model` (map/model.h). */
#ifndef KUBE2ECS_MAP_CONTEXT_H
#define KUBE2ECS_MAP_CONTEXT_H

#include <stdbool.h>

#include <jansson.h>

#include "kube2ecs/convert.h"
#include "report/diags.h"
#include "map/model.h"
#include "read/index.h"
#include "read/mapping_table.h"


typedef struct {
    const k2e_index *index;
    const k2e_mapping *mapping;
    k2e_diags *diags;
    k2e_model *model;
    bool placeholder_used[K2E_KEY_PLACEHOLDER_COUNT];
    bool *referenced;   /* per index item: used by some workload */
    unsigned formats;   /* K2E_FORMAT_* bits */
    const char *zoneinfo_dir; /* NULL: /usr/share/zoneinfo */
    /* Batch consolidation (schedules/batch.h), NULL when off: which CronJobs
     * and Jobs start a shared task definition, with which overrides. */
    const struct k2e_batch *batch;
    bool schedules_disabled;  /* --schedules-disabled: every rule disabled */
    bool log_group_created;   /* some container has awslogs-create-group "true" */
    bool failed;        /* sticky: an internal failure (a bug); the run exits 3 */
} k2e_map_ctx;

/* Adds a document at the path printf(fmt, ...) (see k2e_model_add; steals
 * `value`).  A file name too long for the file system (NAME_MAX) is
 * shortened with a stable hash suffix and reported at `source`. */
k2e_doc *k2e_map_output(k2e_map_ctx *ctx, k2e_doc_kind kind, const k2e_object *source,
                        json_t *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Looks up an object in the workload's namespace and marks it referenced. */
const k2e_object *k2e_map_reference(k2e_map_ctx *ctx, const char *group, const char *kind,
                                    const char *namespace_, const char *name);

/* Marks a placeholder setting as written to the output. */
void k2e_map_use(k2e_map_ctx *ctx, k2e_placeholder_key key);

/* The awsvpc network configuration from the mapping (subnets, security
 * groups, public IP), marking the placeholders it uses.  The AWS API spells
 * it {"awsvpcConfiguration": {"subnets", "securityGroups", "assignPublicIp"}};
 * ecschedule spells the same thing in snake_case. */
typedef enum {
    K2E_SPELLING_AWS_API,
    K2E_SPELLING_ECSCHEDULE,
} k2e_spelling;

json_t *k2e_map_network_configuration(k2e_map_ctx *ctx, k2e_spelling spelling);

#endif
