/* Rolling updates: Kubernetes' maxSurge/maxUnavailable -> ECS's
 * maximumPercent/minimumHealthyPercent, exactly.
 *
 * Kubernetes first turns the two settings into pod counts for the desired
 * replica count (ResolveFenceposts in kubernetes/kubernetes
 * pkg/controller/deployment/util/deployment_util.go): a percentage of
 * maxSurge rounds up, of maxUnavailable rounds down
 * (intstr.GetScaledValueFromIntOrPercent), and when both come out 0 it uses
 * maxUnavailable 1 so that the rollout can proceed.  At most desired + surge
 * pods run; at least desired - unavailable (never below 0: MaxUnavailable
 * caps at the replica count) stay available.
 *
 * ECS works the other way round: from percentages of desiredCount it
 * computes the task counts, rounding maximumPercent down and
 * minimumHealthyPercent up (API reference, DeploymentConfiguration).  This
 * module picks the percentages that make ECS arrive at Kubernetes' counts.
 * For desired counts up to 100 an exact pair always exists (a percentage
 * step is at most one task); above 100 it may not, and the plan then errs
 * towards the side that still lets a deployment make progress.
 *
 * Pure arithmetic, no allocation, no diagnostics: tests/unit/test_rollout.c
 * checks every combination for 1..100 replicas.
 */
#ifndef KUBE2ECS_ROLLOUT_H
#define KUBE2ECS_ROLLOUT_H

#include <stdbool.h>
#include <stdint.h>

/* intstr.IntOrString restricted to what the two settings accept. */
typedef struct {
    bool percent;
    int64_t value;     /* >= 0 */
} k2e_int_or_percent;

/* "25%" -> {true, 25}; "3" is not valid (Kubernetes rejects a string without
 * '%').  Numbers are read by the caller.  False on anything else. */
bool k2e_percent_parse(const char *text, k2e_int_or_percent *out);

/* GetScaledValueFromIntOrPercent: an absolute value as is, a percentage of
 * `total` rounded up or down. */
int64_t k2e_scaled_value(k2e_int_or_percent value, int64_t total, bool round_up);

/* ECS's own rounding of the two percentages for a desiredCount. */
int64_t k2e_ecs_max_tasks(int64_t desired, int64_t maximum_percent);          /* floor */
int64_t k2e_ecs_min_healthy_tasks(int64_t desired, int64_t minimum_healthy);  /* ceil */

typedef struct {
    int64_t desired;          /* as planned for (at least 1) */
    int64_t surge;            /* Kubernetes pod counts after ResolveFenceposts */
    int64_t unavailable;
    bool unavailable_forced;  /* both resolved to 0: Kubernetes proceeds with 1 */
    int64_t max_tasks;        /* desired + surge */
    int64_t min_healthy;      /* desired - unavailable, at least 0 */
    int64_t maximum_percent;
    int64_t minimum_healthy_percent;
    bool exact;               /* ECS's rounding gives max_tasks and min_healthy */
} k2e_rollout;

/* The plan for `desired` replicas (values below 1 are planned as 1).  Among
 * the percentages that reproduce the counts, the one closest to the
 * Kubernetes setting is chosen (maxSurge 25% -> 125 when 125 gives the same
 * count), so the behaviour stays close when the service is scaled. */
k2e_rollout k2e_rollout_plan(k2e_int_or_percent max_surge, k2e_int_or_percent max_unavailable,
                             int64_t desired);

/* Recreate: every old task stops before new ones start. */
k2e_rollout k2e_rollout_recreate(int64_t desired);

#endif
