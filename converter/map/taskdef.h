/* Pod template -> the input of `aws ecs register-task-definition
 * --cli-input-json` for Fargate.
 *
 * The mapper consumes the fields it converts (see MAPPING.md for the table)
 * and adds a diagnostic for every value it cannot carry over faithfully.  It
 * reads ConfigMaps and Secrets through the index; a Secret's values are
 * never read, only its keys.
 */
#ifndef KUBE2ECS_TASKDEF_H
#define KUBE2ECS_TASKDEF_H

#include <stdint.h>

#include <jansson.h>

#include "map/map_context.h"

/* The numbers behind a task definition, kept so that later steps never read
 * them back out of the JSON (which a user's patch may change). */
typedef struct {
    uint32_t cpu, memory;       /* the task size: a Fargate pair, CPU units and MiB */
    uint64_t requests_cpu;      /* the containers Kubernetes counts for utilisation */
    uint64_t requests_memory;   /* (app containers and native sidecars), as written */
    uint64_t need_cpu;          /* what the size covers before rounding up to a */
    uint64_t need_memory;       /* Fargate pair (a proxy added later adds to it) */
} k2e_task_size;

/* `template_` is the PodTemplateSpec (metadata + spec) or, for a Pod, the
 * object itself.  Returns a new reference (keys in the order they were
 * built: emit orders them), or NULL after adding an error. */
json_t *k2e_taskdef_build(k2e_map_ctx *ctx, const k2e_object *object,
                          k2e_node *template_, const char *family, k2e_task_size *size);

#endif
