/* Kubernetes restart policies -> ECS container restart policies.
 *
 * Kubernetes restarts containers in place: native sidecars always, and the
 * app containers of a pod with restartPolicy OnFailure (or Always) when they
 * fail.  ECS can do the same since 2024 (ContainerDefinition.restartPolicy),
 * but AWS CLI and SDK releases older than the feature reject the field, so
 * the mapping switch containerDefaults.restartPolicies turns it on.  Either
 * way the difference is reported. */
#ifndef KUBE2ECS_RESTART_H
#define KUBE2ECS_RESTART_H

#include <stdbool.h>

#include <jansson.h>

#include "map/map_context.h"

/* ECS's shortest restartAttemptPeriod (ContainerRestartPolicy: 60-1800 s,
 * default 300): the closest to the kubelet's 10 s first back-off. */
#define K2E_RESTART_ATTEMPT_PERIOD 60

/* Sets `restartPolicy` on the container definition `c` of `container` when
 * Kubernetes would restart it in place and the mapping allows it, and
 * reports a native sidecar either way.  `sidecar`: an init container with
 * restartPolicy Always; `app`: a regular container of the pod. */
void k2e_restart_container(k2e_map_ctx *ctx, const k2e_object *object, const k2e_node *pod_spec,
                           const k2e_node *container, bool sidecar, bool app, json_t *c);

/* Consumes the pod's restartPolicy: Always and Never are what ECS does for
 * services and one-shot tasks; OnFailure is reported. */
void k2e_restart_pod(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *pod_spec);

#endif
