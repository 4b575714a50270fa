/* Workloads -> ECS services; see service.h and MAPPING.md section 10.
 *
 * One pass over the written workloads (already in family order, so output
 * and diagnostics are deterministic).  Per workload: the autoscaler first
 * (its minReplicas is the desiredCount), then the rollout (rollout.c does
 * the arithmetic, this file explains it in a diagnostic), the workload's
 * own fields, the Services around it (service_net.c), and the JSON in the
 * order of the CreateService API reference.  The autoscaling file and the
 * deployment-tool files are built from the same values, so they can never
 * disagree with the service file.
 *
 * Kinds.  Deployment: strategy as written.  StatefulSet: one pod at a time
 * by default (maxUnavailable 1, no surge) plus warnings for what ECS cannot
 * keep.  ReplicaSet and ReplicationController have no rollout of their own;
 * the Deployment defaults are used and said so.
 */
#include "services/service.h"
#include "map/tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/ecs_limits.h"
#include "map/fargate.h"
#include "map/k8s_defaults.h"
#include "services/service_internal.h"
#include "base/util.h"

static const char *const service_kinds[] = {
    "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", NULL,
};

bool k2e_svc_is_service_kind(const char *kind)
{
    for (const char *const *k = service_kinds; *k; k++) {
        if (strcmp(*k, kind) == 0)
            return true;
    }
    return false;
}

void k2e_svc_mark(k2e_svc_run *run, const k2e_object *object)
{
    run->map->referenced[object - run->map->index->items] = true;
}

bool k2e_svc_first_visit(k2e_svc_run *run, const k2e_object *object)
{
    size_t i = (size_t)(object - run->map->index->items);
    if (run->seen[i])
        return false;
    run->seen[i] = true;
    return true;
}

bool k2e_svc_peek_int(const k2e_node *node, int64_t *out)
{
    if (!node || node->kind != K2E_NODE_SCALAR)
        return false;
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    bool ok = k2e_as_int(node, node, out, &scratch);
    k2e_diags_release(&scratch);
    return ok;
}

const char *k2e_svc_cluster_name(k2e_map_ctx *ctx)
{
    const char *cluster = ctx->mapping->cluster.value;
    const char *slash = strstr(cluster, ":cluster/");
    k2e_map_use(ctx, K2E_KEY_CLUSTER);
    return slash ? slash + strlen(":cluster/") : cluster;
}

static k2e_diags *diags_of(const k2e_svc *svc)
{
    return svc->run->map->diags;
}

/* --- desiredCount ---------------------------------------------------------- */

/* replicas: 0 parks a workload, and Kubernetes' HPA leaves a workload at 0
 * replicas alone (ScalingActive false, "scaling is disabled since the
 * replica count of the target is zero"; kubernetes.io/docs/tasks/
 * run-application/horizontal-pod-autoscale/#implicit-maintenance-mode-
 * deactivation).  A scalable target with MinCapacity >= 1 would start tasks
 * at once, so none is written. */
static void parked_hpa(k2e_svc *svc, k2e_node *replicas)
{
    const k2e_object *hpa = svc->hpa;
    k2e_consume_all(hpa->root);
    k2e_diag_at(diags_of(svc), K2E_W_HPA_PARKED, replicas, svc->root,
                "when the workload should run again, set its desiredCount and register the "
                "scalable target (convert it with replicas above 0 to get "
                "autoscaling/<name>.json)",
                "replicas 0 with HorizontalPodAutoscaler %s: Kubernetes does not scale a "
                "workload at 0 replicas, so it stays parked; desiredCount 0 and no "
                "autoscaling file, which would raise the count to its minimum",
                hpa->name);
    svc->hpa = NULL;
}

static int64_t desired_count(k2e_svc *svc, k2e_node *spec)
{
    k2e_node *replicas = k2e_take(spec, "replicas");
    int64_t value = 1;
    if (replicas && !k2e_is_null(replicas) &&
        k2e_as_int(replicas, svc->root, &value, diags_of(svc)) && value < 0) {
        k2e_diag_at(diags_of(svc), K2E_E_TYPE, replicas, svc->root, NULL,
                    "replicas %lld is negative: 1 used", (long long)value);
        value = 1;
    }
    if (!svc->hpa)
        return value;
    if (replicas && value == 0) {
        parked_hpa(svc, replicas);
        return 0;
    }
    int64_t min = k2e_svc_hpa_min(svc);
    k2e_diag_at(diags_of(svc), K2E_I_SERVICE, replicas ? replicas : spec, svc->root,
                "Application Auto Scaling keeps the count between the autoscaler's minimum and "
                "maximum (autoscaling/<name>.json)",
                "desiredCount %lld of ECS service %s is the minReplicas of "
                "HorizontalPodAutoscaler %s; the autoscaler, not replicas, sets the count",
                (long long)min, svc->name, svc->hpa->name);
    return min;
}

/* --- rollout --------------------------------------------------------------- */

static k2e_int_or_percent read_int_or_percent(k2e_svc *svc, k2e_node *node,
                                              const k2e_node *root, k2e_int_or_percent fallback)
{
    if (!node || k2e_is_null(node))
        return fallback;
    int64_t n;
    k2e_int_or_percent v;
    if (k2e_svc_peek_int(node, &n) && n >= 0)
        return (k2e_int_or_percent){false, n};
    if (node->kind == K2E_NODE_SCALAR && k2e_percent_parse(node->value, &v))
        return v;
    k2e_diag_at(diags_of(svc), K2E_E_TYPE, node, root,
                "write a non-negative number of pods (1) or a percentage (25%)",
                "'%s' is not a pod count or a percentage: %lld%s used",
                node->kind == K2E_NODE_SCALAR ? node->value : "...",
                (long long)fallback.value, fallback.percent ? "%" : "");
    return fallback;
}

static void format_iop(char *buf, size_t size, k2e_int_or_percent v)
{
    snprintf(buf, size, "%lld%s", (long long)v.value, v.percent ? "%" : "");
}

/* Says how Kubernetes' counts became ECS's percentages (or why not). */
static void explain_rollout(k2e_svc *svc, k2e_node *at, k2e_int_or_percent surge,
                            k2e_int_or_percent unavailable)
{
    const k2e_rollout *r = &svc->rollout;
    char s[32], u[32];
    format_iop(s, sizeof s, surge);
    format_iop(u, sizeof u, unavailable);
    long long d = (long long)r->desired;
    if (svc->desired == 0)
        k2e_diag_at(diags_of(svc), K2E_I_SERVICE, at, svc->root,
                    "the percentages only matter once the service is scaled up",
                    "replicas 0: deployment percentages computed for 1 task");
    if (r->unavailable_forced)
        k2e_diag_at(diags_of(svc), K2E_W_ROLLOUT, at, svc->root,
                    "set maxSurge or maxUnavailable so that one of them is at least one pod",
                    "maxSurge %s and maxUnavailable %s both come to 0 pods with replicas %lld: ECS "
                    "could never replace a task; like the Kubernetes controller, one task may be "
                    "unavailable during a deployment", s, u, d);
    if (!r->exact)
        k2e_diag_at(diags_of(svc), K2E_W_ROLLOUT, at, svc->root,
                    "above 100 tasks one percent is more than one task; adjust the "
                    "percentages in the service file if the difference matters",
                    "with desiredCount %lld no ECS percentages give Kubernetes' limit of %lld "
                    "pods and "
                    "%lld available: maximumPercent %lld allows %lld tasks, minimumHealthyPercent "
                    "%lld keeps %lld", d, (long long)r->max_tasks, (long long)r->min_healthy,
                    (long long)r->maximum_percent,
                    (long long)k2e_ecs_max_tasks(r->desired, r->maximum_percent),
                    (long long)r->minimum_healthy_percent,
                    (long long)k2e_ecs_min_healthy_tasks(r->desired, r->minimum_healthy_percent));
    k2e_diag_at(diags_of(svc), K2E_I_SERVICE, at, svc->root,
                "ECS rounds maximumPercent down and minimumHealthyPercent up; the percentages "
                "are chosen for this desiredCount, recompute them if you change it",
                "rolling update with replicas %lld (maxSurge %s, maxUnavailable %s): Kubernetes "
                "runs at most %lld pods and keeps %lld available; ECS maximumPercent %lld "
                "(task limit floor(%lld x %lld / 100) = %lld) and minimumHealthyPercent %lld "
                "(healthy tasks ceil(%lld x %lld / 100) = %lld)",
                d, s, u, (long long)r->max_tasks, (long long)r->min_healthy,
                (long long)r->maximum_percent, d, (long long)r->maximum_percent,
                (long long)k2e_ecs_max_tasks(r->desired, r->maximum_percent),
                (long long)r->minimum_healthy_percent, d, (long long)r->minimum_healthy_percent,
                (long long)k2e_ecs_min_healthy_tasks(r->desired, r->minimum_healthy_percent));
}

static const k2e_int_or_percent quarter = {true, K2E_K8S_DEPLOYMENT_SURGE_PERCENT};

static void recreate(k2e_svc *svc, k2e_node *at)
{
    svc->rollout = k2e_rollout_recreate(svc->desired);
    k2e_diag_at(diags_of(svc), K2E_I_SERVICE, at, svc->root, NULL,
                "Recreate: maximumPercent 100 and minimumHealthyPercent 0, so ECS stops every "
                "old task before starting new ones");
}

static void deployment_rollout(k2e_svc *svc, k2e_node *spec)
{
    k2e_node *strategy = k2e_take(spec, "strategy");
    k2e_node *type = k2e_take(strategy, "type");
    k2e_node *rolling = k2e_take(strategy, "rollingUpdate");
    k2e_node *at = strategy ? strategy : spec;
    const char *name = k2e_is_scalar(type) && !k2e_is_null(type) ? type->value : "RollingUpdate";
    if (strcmp(name, "Recreate") == 0) {
        k2e_consume_all(rolling);
        recreate(svc, at);
        return;
    }
    if (strcmp(name, "RollingUpdate") != 0)
        k2e_diag_at(diags_of(svc), K2E_E_TYPE, type, svc->root,
                    "Kubernetes knows RollingUpdate and Recreate",
                    "unknown strategy type '%s': RollingUpdate used", name);
    k2e_int_or_percent surge =
        read_int_or_percent(svc, k2e_take(rolling, "maxSurge"), svc->root, quarter);
    k2e_int_or_percent unavailable =
        read_int_or_percent(svc, k2e_take(rolling, "maxUnavailable"), svc->root, quarter);
    svc->rollout = k2e_rollout_plan(surge, unavailable, svc->desired);
    explain_rollout(svc, at, surge, unavailable);
}

/* StatefulSets replace pods one at a time (maxUnavailable 1, rounded up
 * from a percentage and at least 1), never adding extra ones. */
static void statefulset_rollout(k2e_svc *svc, k2e_node *spec)
{
    k2e_node *strategy = k2e_take(spec, "updateStrategy");
    k2e_node *type = k2e_take(strategy, "type");
    k2e_node *rolling = k2e_take(strategy, "rollingUpdate");
    k2e_node *at = strategy ? strategy : spec;
    if (k2e_is_scalar(type) && strcmp(type->value, "OnDelete") == 0)
        k2e_diag_at(diags_of(svc), K2E_W_SERVICE_SETTING, type, svc->root,
                    "ECS has no manual update mode; deploy a new task definition only when "
                    "you want the tasks replaced",
                    "OnDelete: ECS replaces tasks as soon as the service is updated (rolling, "
                    "one task at a time)");
    int64_t partition;
    k2e_node *partition_node = k2e_take(rolling, "partition");
    if (k2e_svc_peek_int(partition_node, &partition) && partition > 0)
        k2e_diag_at(diags_of(svc), K2E_W_STATEFULSET, partition_node, svc->root,
                    "stage a rollout with a second ECS service (or CodeDeploy blue/green)",
                    "partition %lld: ECS updates every task of a service, not only the "
                    "higher ordinals", (long long)partition);
    k2e_int_or_percent one = {false, 1};
    k2e_int_or_percent unavailable =
        read_int_or_percent(svc, k2e_take(rolling, "maxUnavailable"), svc->root, one);
    int64_t d = svc->desired < 1 ? 1 : svc->desired;
    int64_t count = k2e_scaled_value(unavailable, d, true);
    k2e_int_or_percent none = {false, 0};
    k2e_int_or_percent pods = {false, count < 1 ? 1 : count};
    svc->rollout = k2e_rollout_plan(none, pods, svc->desired);
    explain_rollout(svc, at, none, unavailable);
}

static void replicaset_rollout(k2e_svc *svc, k2e_node *spec)
{
    k2e_diag_at(diags_of(svc), K2E_I_SERVICE, spec, svc->root,
                "convert the Deployment that owns it instead, if there is one",
                "%s has no rollout strategy: the Deployment defaults (maxSurge 25%%, "
                "maxUnavailable 25%%) are used for ECS deployments", svc->object->kind);
    svc->rollout = k2e_rollout_plan(quarter, quarter, svc->desired);
    explain_rollout(svc, spec, quarter, quarter);
}

/* --- the workload's other fields --------------------------------------------- */


static const k2e_field_rule field_rules[] = {
    {NULL, "selector", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "minReadySeconds", "0", NULL, K2E_W_SERVICE_SETTING,
     "ECS counts a task as available as soon as it runs and passes its health checks",
     NULL,
     "hold new tasks back with the load balancer's healthy threshold or a container health "
     "check's startPeriod"},
    {NULL, "revisionHistoryLimit", K2E_TEXT(K2E_K8S_REVISION_HISTORY_LIMIT), NULL, K2E_I_SERVICE,
     "ECS keeps every task definition revision",
     NULL,
     "deregister old revisions yourself (aws ecs deregister-task-definition); the circuit "
     "breaker rolls back to the last deployment that worked"},
    {"Deployment", "progressDeadlineSeconds", K2E_TEXT(K2E_K8S_PROGRESS_DEADLINE_SECONDS), NULL, K2E_I_SERVICE,
     "the ECS deployment circuit breaker fails a deployment after a number of failed tasks "
     "(half the desired count, at least 3, at most 200), not after a time",
     NULL,
     "watch deployments with `aws ecs wait services-stable` or the deployment events"},
    {"Deployment", "paused", "false", NULL, K2E_W_SERVICE_SETTING,
     "an ECS service starts deploying as soon as it is updated",
     NULL,
     "update the service only when the rollout should start"},
    {"StatefulSet", "serviceName", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    /* OrderedReady (the default) starts pods one at a time in ordinal order,
     * each after the previous is Ready, and removes them in reverse. */
    {"StatefulSet", "podManagementPolicy", "Parallel", K2E_K8S_STATEFULSET_POD_MANAGEMENT,
     K2E_W_STATEFULSET,
     "ECS starts and stops a service's tasks all at once, not one at a time in ordinal "
     "order after the previous one is ready",
     NULL,
     "make members wait for their peers at start-up (e.g. retry joining), or start one ECS "
     "service per member in order"},
    {"StatefulSet", "persistentVolumeClaimRetentionPolicy", NULL, NULL, K2E_W_STATEFULSET,
     "ECS tasks have no claims of their own",
     NULL,
     "EFS data outlives the service; delete it yourself when it is no longer needed"},
    {"StatefulSet", "ordinals", NULL, NULL, K2E_W_STATEFULSET,
     "ECS tasks have no ordinal numbers",
     NULL,
     "give each task its identity at run time (e.g. from the task metadata endpoint)"},
    {NULL, NULL, NULL, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
};

static void statefulset_warnings(k2e_svc *svc, k2e_node *spec)
{
    k2e_diag_at(diags_of(svc), K2E_W_STATEFULSET, spec, svc->root,
                "keep state in EFS (mapping `volumes`), RDS or DynamoDB, reach peers through "
                "Service Connect or Cloud Map names, or run one ECS service per member when "
                "each needs its own identity",
                "StatefulSet %s becomes an ECS service: its tasks have no stable names "
                "(%s-0, %s-1...), no volumes of their own, and start and stop in any order",
                svc->object->name, svc->object->name, svc->object->name);
    k2e_node *templates = k2e_take(spec, "volumeClaimTemplates");
    for (size_t i = 0; templates && templates->kind == K2E_NODE_SEQUENCE &&
                       i < templates->count; i++) {
        k2e_node *claim = templates->items[i];
        k2e_consume_all(claim);
        k2e_node *name = k2e_get(k2e_get(claim, "metadata"), "name");
        const char *claim_name = k2e_is_scalar(name) ? name->value : "?";
        const k2e_efs_volume *efs = k2e_mapping_efs_volume(
            svc->run->map->mapping, claim_name, svc->object->namespace_,
            svc->run->map->index->default_namespace);
        k2e_diag_at(diags_of(svc), K2E_W_STATEFULSET, claim, svc->root,
                    "map the claim to an EFS file system or access point under `volumes` "
                    "(one per member needs one ECS service per member)",
                    "volumeClaimTemplate %s: ECS cannot give each task its own volume; %s",
                    claim_name,
                    efs ? "the mapping's EFS file system is shared by every task"
                        : "no EFS mapping for this claim name");
    }
    k2e_consume(templates);
}

/* --- tags ----------------------------------------------------------------- */

/* --- PodDisruptionBudget ------------------------------------------------------ */

/* The number of healthy pods a budget asks for with `desired` replicas
 * (the disruption controller rounds both settings up). */
static bool budget_minimum(k2e_svc *svc, const k2e_object *pdb, int64_t *out, const char **what)
{
    k2e_node *spec = k2e_get(pdb->root, "spec");
    k2e_node *min = k2e_take(spec, "minAvailable"), *max = k2e_take(spec, "maxUnavailable");
    k2e_node *node = min ? min : max;
    if (!node)
        return false;
    *what = min ? "minAvailable" : "maxUnavailable";
    k2e_int_or_percent none = {false, 0};
    k2e_int_or_percent v = read_int_or_percent(svc, node, pdb->root, none);
    int64_t d = svc->desired < 1 ? 1 : svc->desired;
    int64_t count = k2e_scaled_value(v, d, true);
    *out = min ? count : (count >= d ? 0 : d - count);
    if (*out > d)
        *out = d;
    return true;
}

/* The smallest minimumHealthyPercent that keeps `pods` healthy. */
static int64_t percent_keeping(int64_t desired, int64_t pods)
{
    int64_t m = pods * 100 / desired;
    while (m > 0 && k2e_ecs_min_healthy_tasks(desired, m - 1) >= pods)
        m--;
    while (k2e_ecs_min_healthy_tasks(desired, m) < pods)
        m++;
    return m;
}

static void relate_budget(k2e_svc *svc, const k2e_object *pdb)
{
    int64_t pods;
    const char *what;
    k2e_node *spec = k2e_take(pdb->root, "spec");
    if (!budget_minimum(svc, pdb, &pods, &what))
        return;
    int64_t d = svc->rollout.desired;
    int64_t ecs = k2e_ecs_min_healthy_tasks(d, svc->rollout.minimum_healthy_percent);
    k2e_node *at = k2e_get(spec, what);
    if (ecs >= pods) {
        k2e_diag_at(diags_of(svc), K2E_I_DISRUPTION_BUDGET, at, pdb->root,
                    "ECS uses minimumHealthyPercent for deployments and for replacing tasks "
                    "that Fargate retires for maintenance",
                    "PodDisruptionBudget %s (%s: %lld of %lld pods kept) is honoured by ECS "
                    "service %s: minimumHealthyPercent %lld keeps %lld tasks healthy",
                    pdb->name, what, (long long)pods, (long long)d, svc->name,
                    (long long)svc->rollout.minimum_healthy_percent, (long long)ecs);
        return;
    }
    k2e_diag_at(diags_of(svc), K2E_W_DISRUPTION_BUDGET, at, pdb->root,
                "Kubernetes rollouts ignore budgets, so the percentages match the rollout; "
                "raise minimumHealthyPercent in the service file if the budget must also hold "
                "while Fargate retires tasks",
                "PodDisruptionBudget %s keeps %lld of %lld pods (%s), but ECS service %s keeps "
                "only %lld healthy (minimumHealthyPercent %lld); minimumHealthyPercent %lld "
                "would keep the budget%s", pdb->name, (long long)pods, (long long)d, what,
                svc->name, (long long)ecs, (long long)svc->rollout.minimum_healthy_percent,
                (long long)percent_keeping(d, pods),
                pods >= d && svc->rollout.max_tasks <= d
                    ? ", with maximumPercent above 100 so that ECS can start a task before "
                      "stopping one"
                    : "");
}

static void relate_budgets(k2e_svc *svc)
{
    k2e_svc_run *run = svc->run;
    char key[32];
    int length = snprintf(key, sizeof key, "%zu",
                          (size_t)(svc->workload - run->workloads->items));
    size_t n = 0;
    const size_t *budgets = k2e_multimap_get(&run->budgets_of, key, (size_t)length, &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_object *pdb = &run->map->index->items[budgets[i]];
        k2e_node *selector = k2e_get(k2e_get(pdb->root, "spec"), "selector");
        k2e_consume_all(selector);
        k2e_svc_mark(svc->run, pdb);
        relate_budget(svc, pdb);
    }
}

/* --- the CreateService input -------------------------------------------------- */


static json_t *deployment_configuration(k2e_svc *svc)
{
    const k2e_mapping *m = svc->run->map->mapping;
    json_t *breaker = json_pack("{s:b, s:b}", "enable", m->circuit_breaker_enable, "rollback",
                                m->circuit_breaker_rollback);
    return json_pack("{s:o, s:I, s:I}", "deploymentCircuitBreaker", breaker, "maximumPercent",
                     (json_int_t)svc->rollout.maximum_percent, "minimumHealthyPercent",
                     (json_int_t)svc->rollout.minimum_healthy_percent);
}

static bool runs_on_arm(const k2e_workload *w)
{
    json_t *platform = json_object_get(w->task_definition, "runtimePlatform");
    const char *arch = json_string_value(json_object_get(platform, "cpuArchitecture"));
    return arch && strcmp(arch, "ARM64") == 0;
}

/* launchType FARGATE, or the mapping's capacity providers (FARGATE_SPOT
 * runs X86_64 only: an ARM64 task falls back to FARGATE). */
static void set_capacity(k2e_svc *svc, json_t *s)
{
    const k2e_mapping *m = svc->run->map->mapping;
    bool spot = false;
    for (size_t i = 0; i < m->capacity_provider_count; i++)
        spot = spot || strcmp(m->capacity_providers[i].capacity_provider, "FARGATE_SPOT") == 0;
    if (spot && runs_on_arm(svc->workload)) {
        k2e_diag_at(diags_of(svc), K2E_W_SERVICE_SETTING, svc->workload->pod_spec, svc->root,
                    "use an X86_64 image for Spot capacity, or keep FARGATE",
                    "ECS service %s runs ARM64 tasks, which FARGATE_SPOT cannot run: launchType "
                    "FARGATE used instead of the mapping's capacityProviderStrategy", svc->name);
        m = NULL;
    }
    if (!m || m->capacity_provider_count == 0) {
        json_object_set_new(s, "launchType", json_string("FARGATE"));
        return;
    }
    json_t *strategy = json_array();
    for (size_t i = 0; i < m->capacity_provider_count; i++) {
        const k2e_capacity_provider *cp = &m->capacity_providers[i];
        json_t *item = json_pack("{s:s, s:I}", "capacityProvider", cp->capacity_provider,
                                 "weight", (json_int_t)cp->weight);
        if (cp->base >= 0)
            json_object_set_new(item, "base", json_integer(cp->base));
        json_array_append_new(strategy, item);
    }
    json_object_set_new(s, "capacityProviderStrategy", strategy);
}

static void set_array(json_t *s, const char *key, json_t *array)
{
    if (json_array_size(array))
        json_object_set(s, key, array);
}

/* ECS adds the Service Connect proxy container to every task of the
 * service; the task is sized for it (MAPPING.md section 10.5). */
static void size_for_proxy(k2e_svc *svc)
{
    k2e_task_size *t = &svc->size;
    uint64_t cpu = t->need_cpu + K2E_SC_PROXY_CPU, memory = t->need_memory + K2E_SC_PROXY_MEMORY;
    k2e_fargate_size size;
    if (!k2e_fargate_pick(cpu, memory, &size)) {
        k2e_diag_at(diags_of(svc), K2E_W_SERVICE_SETTING, svc->workload->pod_spec, svc->root,
                    "lower the requests/limits, or leave this service out of Service Connect",
                    "ECS service %s: no Fargate size holds the task (%llu CPU units, %llu MiB) "
                    "and the Service Connect proxy (%d CPU units, %d MiB): task size %u/%u "
                    "kept", svc->name, (unsigned long long)t->need_cpu,
                    (unsigned long long)t->need_memory, K2E_SC_PROXY_CPU, K2E_SC_PROXY_MEMORY,
                    t->cpu, t->memory);
        return;
    }
    if (size.cpu <= t->cpu && size.memory <= t->memory)
        return;
    k2e_diag_at(diags_of(svc), K2E_I_PROXY_SIZE, svc->workload->pod_spec, svc->root,
                "AWS recommends 256 CPU units and at least 64 MiB for the proxy; give it more "
                "in the task definition if the service handles many requests per second",
                "task size of ECS service %s raised from %u CPU units / %u MiB to %u / %u for "
                "the Service Connect proxy: the containers need %llu CPU units and %llu MiB, "
                "the proxy %d and %d", svc->name, t->cpu, t->memory, size.cpu, size.memory,
                (unsigned long long)t->need_cpu, (unsigned long long)t->need_memory,
                K2E_SC_PROXY_CPU, K2E_SC_PROXY_MEMORY);
    t->cpu = size.cpu;
    t->memory = size.memory;
    char text[16];
    json_t *td = svc->workload->task_definition;
    snprintf(text, sizeof text, "%u", size.cpu);
    json_object_set_new(td, "cpu", json_string(text));
    snprintf(text, sizeof text, "%u", size.memory);
    json_object_set_new(td, "memory", json_string(text));
}

static json_t *service_connect(k2e_svc *svc)
{
    const k2e_mapping *m = svc->run->map->mapping;
    if (m->discovery != K2E_DISCOVERY_SERVICE_CONNECT ||
        (!svc->run->connect_clients && !json_array_size(svc->connect_services)))
        return NULL;
    json_t *sc = json_pack("{s:b}", "enabled", 1);
    const char *ns = m->service_connect_namespace.value;
    if (ns && *ns)
        json_object_set_new(sc, "namespace", json_string(ns));
    set_array(sc, "services", svc->connect_services);
    if (!json_array_size(svc->connect_services))
        k2e_diag_at(diags_of(svc), K2E_I_SERVICE, svc->workload->pod_spec, svc->root, NULL,
                    "ECS service %s joins Service Connect as a client only, so that it can "
                    "reach the services converted with it by their Kubernetes names",
                    svc->name);
    size_for_proxy(svc);
    return sc;
}

/* --- the run's choice ------------------------------------------------------------ */

static const char *const discovery_names[] = {"serviceConnect", "cloudMap", "none"};

/* Says once per run how clients will find the converted Services (the
 * mapping's serviceDiscovery), pointing at the setting. */
static void report_discovery_choice(k2e_svc_run *run, size_t services)
{
    const k2e_mapping *m = run->map->mapping;
    const k2e_node *at = m->service_connect_namespace.origin;
    if (!at)
        return;
    const k2e_node *key = at->parent && at->parent->kind == K2E_NODE_MAPPING
                              ? at->parent->keys[at->index] : at;
    k2e_where where = {at->file, key->line, key->column, "serviceDiscovery"};
    const char *ns = m->service_connect_namespace.value;
    const char *hint = "the proxy takes 256 CPU units and 64 MiB in every task (K2E-I131 "
                       "names each task size raised); set serviceDiscovery.mode: none to leave "
                       "Service Connect out";
    if (m->discovery == K2E_DISCOVERY_SERVICE_CONNECT && *ns)
        k2e_diag_add(run->map->diags, K2E_I_DISCOVERY_CHOICE, where, hint,
                     "service discovery: Service Connect namespace %s for the %zu Kubernetes "
                     "Service(s) converted; every ECS service joins it, as a client at least, "
                     "and each task is sized for the proxy", ns, services);
    else if (m->discovery == K2E_DISCOVERY_SERVICE_CONNECT)
        k2e_diag_add(run->map->diags, K2E_I_DISCOVERY_CHOICE, where, hint,
                     "service discovery: Service Connect in the cluster's default namespace "
                     "(serviceConnectDefaults; CreateService fails without one) for the %zu "
                     "Kubernetes Service(s) converted; every ECS service joins it, as a client "
                     "at least, and each task is sized for the proxy", services);
    else if (m->discovery == K2E_DISCOVERY_CLOUD_MAP)
        k2e_diag_add(run->map->diags, K2E_I_DISCOVERY_CHOICE, where,
                     "clients resolve the Cloud Map names of serviceDiscovery.registries",
                     "service discovery: Cloud Map (serviceRegistries) for the %zu Kubernetes "
                     "Service(s) converted; no Service Connect proxy", services);
    else
        k2e_diag_add(run->map->diags, K2E_I_DISCOVERY_CHOICE, where,
                     "set serviceDiscovery.namespace to a Cloud Map namespace (name or ARN) to "
                     "publish them with Service Connect (each task grows by 256 CPU units and "
                     "64 MiB for its proxy), or mode: cloudMap with registries",
                     "service discovery: %s (the default): the %zu Kubernetes Service(s) "
                     "converted get no Service Connect or Cloud Map name, so other tasks "
                     "cannot reach them by the names they use on Kubernetes",
                     discovery_names[m->discovery], services);
}

/* Keys in the order of the CreateService API reference. */
static json_t *service_json(k2e_svc *svc, json_t *tags)
{
    k2e_map_ctx *ctx = svc->run->map;
    const k2e_mapping *m = ctx->mapping;
    json_t *s = json_object();
    k2e_map_use(ctx, K2E_KEY_CLUSTER);
    json_object_set_new(s, "cluster", json_string(m->cluster.value));
    json_object_set_new(s, "serviceName", json_string(svc->name));
    json_object_set_new(s, "taskDefinition", json_string(svc->workload->family));
    set_array(s, "loadBalancers", svc->load_balancers);
    set_array(s, "serviceRegistries", svc->registries);
    json_object_set_new(s, "desiredCount", json_integer(svc->desired));
    set_capacity(svc, s);
    if (m->platform_version.value && *m->platform_version.value)
        json_object_set_new(s, "platformVersion", json_string(m->platform_version.value));
    json_object_set_new(s, "deploymentConfiguration", deployment_configuration(svc));
    json_object_set_new(s, "networkConfiguration",
                        k2e_map_network_configuration(ctx, K2E_SPELLING_AWS_API));
    if (json_array_size(svc->load_balancers) && svc->grace_period >= 0)
        json_object_set_new(s, "healthCheckGracePeriodSeconds", json_integer(svc->grace_period));
    set_array(s, "tags", tags);
    if (m->propagate_tags.value)
        json_object_set_new(s, "propagateTags", json_string(m->propagate_tags.value));
    json_object_set_new(s, "enableExecuteCommand", json_boolean(m->enable_execute_command));
    json_t *sc = service_connect(svc);
    if (sc)
        json_object_set_new(s, "serviceConnectConfiguration", sc);
    return s;
}

/* --- one service ---------------------------------------------------------------- */

static void plan_rollout(k2e_svc *svc, k2e_node *spec)
{
    if (strcmp(svc->object->kind, "Deployment") == 0)
        deployment_rollout(svc, spec);
    else if (strcmp(svc->object->kind, "StatefulSet") == 0)
        statefulset_rollout(svc, spec);
    else
        replicaset_rollout(svc, spec);
}

static void build_service(k2e_svc_run *run, const k2e_workload *w)
{
    k2e_svc svc = {.run = run, .workload = w, .object = w->object, .root = w->object->root,
                   .name = w->family, .size = w->size, .grace_period = -1};
    k2e_node *spec = k2e_get(svc.root, "spec");
    svc.labels = k2e_get(k2e_get(w->pod_spec->parent, "metadata"), "labels");
    svc.hpa = k2e_svc_find_hpa(run, w->object);
    svc.desired = desired_count(&svc, spec);
    plan_rollout(&svc, spec);
    k2e_field_rules_apply(diags_of(&svc), svc.root, spec, NULL, svc.object->kind, field_rules,
                          K2E_RULES_PLAIN);
    if (strcmp(w->object->kind, "StatefulSet") == 0)
        statefulset_warnings(&svc, spec);
    svc.load_balancers = json_array();
    svc.registries = json_array();
    svc.connect_services = json_array();
    k2e_svc_attach_services(&svc);
    json_t *tags = k2e_labels_to_tags(k2e_get(k2e_get(svc.root, "metadata"), "labels"),
                                      svc.root, "service tag", diags_of(&svc));
    json_t *service = service_json(&svc, tags);
    relate_budgets(&svc);
    k2e_map_output(run->map, K2E_DOC_SERVICE, w->object, json_incref(service),
                   "services/%s.json", svc.name);
    if (svc.hpa)
        k2e_svc_autoscaling(&svc);
    if (run->map->formats & K2E_FORMAT_ECSPRESSO)
        k2e_svc_ecspresso(&svc, service);
    json_decref(service);
    json_decref(tags);
    json_decref(svc.load_balancers);
    json_decref(svc.registries);
    json_decref(svc.connect_services);
}

/* --- leftovers ------------------------------------------------------------------ */

static const char *const surrounding_kinds[] = {
    "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", NULL,
};

static bool is_surrounding(const char *kind)
{
    for (const char *const *k = surrounding_kinds; *k; k++) {
        if (strcmp(*k, kind) == 0)
            return true;
    }
    return false;
}

static const char *leftover_hint(const char *path, void *context)
{
    (void)context;
    if (strstr(path, "annotations"))
        return "annotations have no ECS meaning; configure the equivalent on the load "
               "balancer or in AWS";
    return "this setting of the object was not carried over to the ECS service; see "
           "MAPPING.md section 10";
}

/* The objects used here are consumed whole by the pipeline afterwards, so
 * what they hold that nobody converted is reported now.  Their labels
 * describe Kubernetes objects that do not exist in ECS: consumed. */
static void report_leftovers(k2e_svc_run *run)
{
    const k2e_index *index = run->map->index;
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        if (object->duplicate || !is_surrounding(object->kind) || !run->map->referenced[i])
            continue;
        k2e_consume_all(k2e_get(k2e_get(object->root, "metadata"), "labels"));
        k2e_report_unconsumed(object->root, run->map->diags, leftover_hint, NULL);
    }
}

/* An ExternalName Service selects no pods: cluster DNS answers its name
 * (<name>.<namespace>.svc.cluster.local) with a CNAME to spec.externalName
 * (Kubernetes docs, Service, "ExternalName").  Clients rely on that alias,
 * so it is a warning with the ECS-side ways to recreate it, not the info
 * an unused object gets. */
static void external_names(k2e_svc_run *run)
{
    size_t n;
    const k2e_object *services = k2e_index_kind(run->map->index, "Service", NULL, &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_object *service = &services[i];
        k2e_node *spec = k2e_get(service->root, "spec");
        k2e_node *type = k2e_get(spec, "type");
        if (service->duplicate || !k2e_is_scalar(type) ||
            strcmp(type->value, "ExternalName") != 0)
            continue;
        const k2e_node *target = k2e_get(spec, "externalName");
        k2e_svc_mark(run, service);
        k2e_consume_all(service->root);
        k2e_diag_at(run->map->diags, K2E_W_EXTERNAL_NAME, type, service->root,
                    "recreate the alias: a CNAME record in a Route 53 private hosted zone "
                    "associated with the VPC (e.g. for the zone svc.cluster.local, so clients "
                    "keep their names), or a Cloud Map service with a CNAME record whose "
                    "instance sets AWS_INSTANCE_CNAME; or point the clients at the target",
                    "ExternalName Service %s: clients resolve %s.%s.svc.cluster.local as a DNS "
                    "alias (CNAME) of %s; ECS has no such alias, nothing is converted",
                    service->name, service->name, service->namespace_,
                    k2e_is_scalar(target) ? target->value : "(no externalName)");
    }
}

void k2e_services_map(k2e_map_ctx *ctx, const k2e_workloads *workloads)
{
    k2e_svc_run run = {.map = ctx, .workloads = workloads};
    run.seen = k2e_calloc(ctx->index->count + 1, sizeof *run.seen);
    if (!run.seen || !k2e_svc_index_services(&run)) {
        free(run.seen);
        free(run.backing);
        k2e_multimap_release(&run.services_of);
        k2e_multimap_release(&run.budgets_of);
        return;
    }
    k2e_strmap_init(&run.published);
    size_t converted = k2e_svc_count_services(&run);
    run.connect_clients = ctx->mapping->discovery == K2E_DISCOVERY_SERVICE_CONNECT && converted;
    if (converted)
        report_discovery_choice(&run, converted);
    k2e_svc_scan_references(&run);
    k2e_svc_scan_ingresses(&run);
    k2e_svc_index_hpas(&run);
    external_names(&run);
    for (size_t i = 0; i < workloads->count; i++) {
        const k2e_workload *w = &workloads->items[i];
        if (w->written && k2e_svc_is_service_kind(w->object->kind))
            build_service(&run, w);
    }
    report_leftovers(&run);
    k2e_svc_release_references(&run);
    k2e_strmap_release(&run.published);
    free(run.routes);
    free(run.seen);
    k2e_multimap_release(&run.hpas);
    k2e_multimap_release(&run.services_of);
    k2e_multimap_release(&run.budgets_of);
    free(run.backing);
    k2e_buf_release(&run.key);
}
