/* ECS services: Deployment, StatefulSet, ReplicaSet and ReplicationController
 * -> OUTDIR/services/<family>.json, the input of `aws ecs create-service
 * --cli-input-json`, with what the objects around the workload say:
 *
 *   Service (selector matches the pod labels, same namespace)
 *                          -> loadBalancers (target groups from the mapping
 *                             table), Service Connect or Cloud Map
 *                             (serviceDiscovery in the mapping table)
 *   Ingress                -> the listener rules to configure, per backend
 *   HorizontalPodAutoscaler -> OUTDIR/autoscaling/<family>.json
 *   PodDisruptionBudget    -> compared with minimumHealthyPercent
 *
 * and, with --format ecspresso, the files of ecspresso
 * (OUTDIR/ecspresso/<family>/).  MAPPING.md section 10 documents every rule
 * and diagnostic (K2E-I080..I084, K2E-W080..W089).
 *
 * Runs after k2e_workloads_finish: only workloads whose task definition was
 * written get a service (the service's taskDefinition is the family).
 * Every Service, Ingress, HorizontalPodAutoscaler and PodDisruptionBudget
 * that is used is marked referenced, and what of it was neither converted
 * nor reported is reported as "not converted" here, since the pipeline's
 * own walk only sees referenced objects as a whole.
 */
#ifndef KUBE2ECS_SERVICE_H
#define KUBE2ECS_SERVICE_H

#include "map/map_context.h"
#include "map/workload.h"

void k2e_services_map(k2e_map_ctx *ctx, const k2e_workloads *workloads);

/* With --format ecs-deploy: OUTDIR/ecs-deploy/<family>.json for a written
 * workload, a view of its task definition.  Called after the user's patches,
 * so that what it warns about is the final task definition. */
void k2e_svc_ecs_deploy(k2e_map_ctx *ctx, const k2e_workload *workload);

#endif
