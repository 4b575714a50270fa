/* Pod-level fields -> task definition (task role, runtime platform, stop
 * timeout, registry credentials, container defaults), and diagnostics for
 * the pod and container fields Fargate has no use for.  See pod.c. */
#ifndef KUBE2ECS_POD_H
#define KUBE2ECS_POD_H

#include <jansson.h>

#include "map/map_context.h"

/* Applies the PodSpec `spec` to the task definition `td`, whose
 * containerDefinitions are already built. */
void k2e_pod_apply(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec, json_t *td);

/* Reports container fields with no ECS meaning (lifecycle, ...), quietly
 * accepting Kubernetes' defaults (imagePullPolicy: IfNotPresent, ...). */
void k2e_pod_container_fields(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *container);

#endif
