/* Restart policies; see restart.h.
 *
 * Sources: Kubernetes docs, "Pod Lifecycle" (container restart policy: the
 * kubelet restarts with an exponential back-off from 10 s to 5 min) and
 * "Sidecar Containers" (restarted whatever their exit status); ECS API
 * reference, ContainerRestartPolicy (a container is restarted only after it
 * has run restartAttemptPeriod seconds, 60-1800, at most once per period;
 * ignoredExitCodes are never restarted). */
#include "map/restart.h"

#include <string.h>

#include "read/mapping_table.h"

static bool policy_is(const k2e_node *policy, const char *value)
{
    return policy && k2e_is_scalar(policy) && strcmp(policy->value, value) == 0;
}

static bool restarts_enabled(const k2e_map_ctx *ctx)
{
    return ctx->mapping->container_restart_policies;
}

static json_t *restart_policy(bool ignore_success)
{
    json_t *policy = json_object();
    json_object_set_new(policy, "enabled", json_true());
    if (ignore_success)
        json_object_set_new(policy, "ignoredExitCodes", json_pack("[i]", 0));
    json_object_set_new(policy, "restartAttemptPeriod",
                        json_integer(K2E_RESTART_ATTEMPT_PERIOD));
    return policy;
}

/* The hint of K2E-W147, with or without the sidecarsEssential alternative. */
#define SWITCH_HINT                                                                     \
    "containerDefaults.restartPolicies: true restarts it in place (ECS container restart " \
    "policy; needs an AWS CLI or SDK that knows restartPolicy)"

static void report_sidecar(k2e_map_ctx *ctx, const k2e_object *object,
                           const k2e_node *container, const char *name)
{
    const k2e_node *at = k2e_get(container, "restartPolicy");
    if (restarts_enabled(ctx)) {
        k2e_diag_at(ctx->diags, K2E_I_SIDECAR_RESTARTS, at, object->root,
                    "a sidecar that exits sooner stays stopped (no back-off retries): make "
                    "it fail later, or mark it essential (sidecarsEssential) so that the "
                    "task is replaced",
                    "native sidecar %s restarts in place (ECS restartPolicy) once it has run "
                    "%d s (restartAttemptPeriod, ECS's minimum)",
                    name, K2E_RESTART_ATTEMPT_PERIOD);
        return;
    }
    bool essential = ctx->mapping->sidecars_essential;
    k2e_diag_at(ctx->diags, K2E_W_SIDECAR_NOT_RESTARTED, at, object->root,
                essential ? SWITCH_HINT
                          : SWITCH_HINT ", or sidecarsEssential: true stops the task with it",
                "native sidecar %s is not restarted when it exits: %s", name,
                essential ? "it is essential, so the task stops with it"
                          : "it is not essential, so the task runs on without it");
}

void k2e_restart_container(k2e_map_ctx *ctx, const k2e_object *object, const k2e_node *pod_spec,
                           const k2e_node *container, bool sidecar, bool app, json_t *c)
{
    if (sidecar) {
        const json_t *name = json_object_get(c, "name");
        report_sidecar(ctx, object, container, json_string_value(name));
        if (restarts_enabled(ctx))
            json_object_set_new(c, "restartPolicy", restart_policy(false));
        return;
    }
    if (app && restarts_enabled(ctx) &&
        policy_is(k2e_get(pod_spec, "restartPolicy"), "OnFailure"))
        json_object_set_new(c, "restartPolicy", restart_policy(true));
}

void k2e_restart_pod(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *pod_spec)
{
    k2e_node *policy = k2e_take(pod_spec, "restartPolicy");
    if (!policy || policy_is(policy, "Always") || policy_is(policy, "Never"))
        return;
    if (policy_is(policy, "OnFailure") && restarts_enabled(ctx)) {
        k2e_diag_at(ctx->diags, K2E_W_ON_FAILURE_RESTARTS, policy, object->root,
                    "a container failing sooner ends the task as before; make failures "
                    "happen later or retry inside the container; init containers are not "
                    "restarted",
                    "restartPolicy OnFailure: ECS restarts a failed app container in place "
                    "only after it has run %d s, at most once per %d s and without "
                    "back-off, and never counts the restarts against backoffLimit",
                    K2E_RESTART_ATTEMPT_PERIOD, K2E_RESTART_ATTEMPT_PERIOD);
        return;
    }
    k2e_diag_at(ctx->diags, K2E_W_POD_FEATURE, policy, object->root,
                "ECS does not restart a container in place unless told to: with "
                "containerDefaults.restartPolicies: true (needs an AWS CLI or SDK that knows "
                "the ECS container restartPolicy) failed app containers restart; otherwise "
                "retry inside the container or re-run the task",
                "restartPolicy %s: a failed container ends the task",
                k2e_is_scalar(policy) ? policy->value : "");
}
