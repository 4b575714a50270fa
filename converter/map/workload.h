/* Workloads: the kinds with a pod template (Deployment, StatefulSet,
 * ReplicaSet, ReplicationController, DaemonSet, Pod, Job, CronJob).
 *
 * k2e_map_workload finds the pod template, names the task family, and hands
 * the template to the task-definition mapper.  Task definitions are
 * collected first and written in k2e_workloads_finish, so that two
 * workloads that would share a family are reported together (naming both
 * files) instead of one silently overwriting the other.
 */
#ifndef KUBE2ECS_WORKLOAD_H
#define KUBE2ECS_WORKLOAD_H

#include <stddef.h>

#include <jansson.h>

#include "map/map_context.h"
#include "map/taskdef.h"

typedef struct {
    char *family;
    json_t *task_definition;   /* owned reference; its model document shares it */
    k2e_task_size size;        /* what the task definition's cpu/memory say, as numbers */
    const k2e_object *object;
    k2e_node *pod_spec;        /* the template's spec (for services: ports, probes) */
    bool written;              /* false when the family clashed with another */
    bool shares;               /* a Job/CronJob starting the equal task definition of
                                * the workload before it in the family (not written) */
} k2e_workload;

typedef struct {
    k2e_workload *items;
    size_t count, capacity;
} k2e_workloads;

void k2e_workloads_init(k2e_workloads *workloads);
void k2e_workloads_release(k2e_workloads *workloads);

/* Maps one workload object; returns 1 when it produced a task definition. */
size_t k2e_map_workload(k2e_map_ctx *ctx, const k2e_object *object,
                        k2e_workloads *workloads);

/* Detects family clashes and adds the task definitions to the model. */
void k2e_workloads_finish(k2e_map_ctx *ctx, k2e_workloads *workloads);

/* ECS family/container-name alphabet: [A-Za-z0-9_-]{1,255}; anything else
 * becomes '-'.  Caller frees. */
char *k2e_sanitize_family(const char *name);

#endif
