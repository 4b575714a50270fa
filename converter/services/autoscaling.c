/* HorizontalPodAutoscaler (autoscaling/v1, v2beta1, v2beta2, v2) ->
 * OUTDIR/autoscaling/<service>.json:
 *   {"scalableTarget": <RegisterScalableTarget input>,
 *    "scalingPolicies": [<PutScalingPolicy input>, ...]}
 * one target-tracking policy per cpu/memory metric.
 *
 * The one real transformation is the target.  Kubernetes measures a pod's
 * utilisation against the sum of its containers' requests; ECS's
 * ECSServiceAverageCPUUtilization / ...MemoryUtilization measure a task
 * against the task's size, which on Fargate is usually larger (the next
 * valid size, and limits count too).  So 70% of 256 CPU units of requests
 * in a 1024-unit task is 17.5% for ECS: TargetValue = target x requests /
 * task size, and AverageValue targets are divided by the task size.  The
 * requests are the task-definition mapper's numbers (container cpu, and
 * memoryReservation or memory), exactly the requests Kubernetes would use
 * (a missing request defaults to the limit, as in Kubernetes).
 *
 * Behaviour: the scale-down stabilisation window (default 300 s) becomes
 * the scale-in cooldown and the scale-up window (default 0) the scale-out
 * cooldown; similar in spirit, not identical, and said so.  Rate policies,
 * Pods/Object/External/ContainerResource metrics have no target-tracking
 * equivalent and are reported.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/quantity.h"
#include "map/k8s_defaults.h"
#include "services/service_internal.h"
#include "base/util.h"

void k2e_svc_index_hpas(k2e_svc_run *run)
{
    const k2e_index *index = run->map->index;
    size_t n;
    const k2e_object *hpas = k2e_index_kind(index, "HorizontalPodAutoscaler", NULL, &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_object *hpa = &hpas[i];
        const k2e_node *ref = k2e_get(k2e_get(hpa->root, "spec"), "scaleTargetRef");
        const k2e_node *kind = k2e_get(ref, "kind"), *name = k2e_get(ref, "name");
        size_t length;
        const char *key = !hpa->duplicate && k2e_is_scalar(kind) && k2e_is_scalar(name)
                              ? k2e_compose_key(&run->key, &length, hpa->namespace_,
                                                kind->value, name->value, NULL)
                              : NULL;
        if (key)
            k2e_multimap_add(&run->hpas, key, length, k2e_index_position(index, hpa));
    }
}

const k2e_object *k2e_svc_find_hpa(k2e_svc_run *run, const k2e_object *object)
{
    const k2e_index *index = run->map->index;
    const k2e_object *found = NULL;
    size_t length, n = 0;
    const char *key = k2e_compose_key(&run->key, &length, object->namespace_, object->kind,
                                      object->name, NULL);
    const size_t *ids = key ? k2e_multimap_get(&run->hpas, key, length, &n) : NULL;
    for (size_t i = 0; i < n; i++) {
        const k2e_object *hpa = &index->items[ids[i]];
        k2e_svc_mark(run, hpa);
        k2e_node *ref = k2e_get(k2e_get(hpa->root, "spec"), "scaleTargetRef");
        k2e_consume_all(ref);
        if (!found) {
            found = hpa;
            continue;
        }
        k2e_consume_all(hpa->root);
        k2e_diag_at(run->map->diags, K2E_W_AUTOSCALING, ref, hpa->root,
                    "keep one autoscaler per workload; Kubernetes refuses to act on either "
                    "(AmbiguousSelector)",
                    "HorizontalPodAutoscaler %s also scales %s %s: only %s converted", hpa->name,
                    object->kind, object->name, found->name);
    }
    return found;
}

int64_t k2e_svc_hpa_min(k2e_svc *svc)
{
    int64_t min = 1;
    k2e_node *node = k2e_get(k2e_get(svc->hpa->root, "spec"), "minReplicas");
    if (k2e_svc_peek_int(node, &min) && min >= 0)
        return min;
    return 1;
}

/* --- sizes -------------------------------------------------------------------- */

typedef struct {
    uint64_t requests[2];      /* cpu units, MiB: app containers and sidecars */
    uint64_t task[2];          /* the task size */
} sizes;

enum { CPU, MEMORY };

/* The service's sizes as the task-definition mapper computed them, grown
 * for the Service Connect proxy (never read back from the JSON, which a
 * user's patch may have changed). */
static sizes task_sizes(const k2e_svc *svc)
{
    const k2e_task_size *t = &svc->size;
    sizes s = {{t->requests_cpu, t->requests_memory}, {t->cpu, t->memory}};
    return s;
}

/* --- one policy ----------------------------------------------------------------- */

typedef struct {
    k2e_svc *svc;
    const k2e_object *hpa;
    sizes size;
    char *resource_id;
    int64_t scale_in, scale_out;
    bool disable_in;
    k2e_node *behavior;
    k2e_node *default_up;      /* where the default scale-up policies apply, or NULL */
    json_t *policies;
} as_ctx;

static k2e_diags *diags_of(as_ctx *a)
{
    return a->svc->run->map->diags;
}

static const char *const metric_types[2] = {
    "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
};
static const char *const resource_names[2] = {"cpu", "memory"};
static const char *const units[2] = {"CPU units", "MiB"};

static bool policy_named(const json_t *policies, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(policies, i, p) {
        if (strcmp(json_string_value(json_object_get(p, "PolicyName")), name) == 0)
            return true;
    }
    return false;
}

static void add_policy(as_ctx *a, int which, double target)
{
    char *name = k2e_asprintf("%s-%s", a->svc->name, resource_names[which]);
    for (size_t n = 2; name && policy_named(a->policies, name); n++) {
        free(name);
        name = k2e_asprintf("%s-%s-%zu", a->svc->name, resource_names[which], n);
    }
    if (!name)
        return;
    json_t *config = json_pack("{s:f, s:{s:s}, s:I, s:I}", "TargetValue", target,
                               "PredefinedMetricSpecification", "PredefinedMetricType",
                               metric_types[which], "ScaleOutCooldown",
                               (json_int_t)a->scale_out, "ScaleInCooldown",
                               (json_int_t)a->scale_in);
    if (a->disable_in)
        json_object_set_new(config, "DisableScaleIn", json_true());
    json_array_append_new(
        a->policies,
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "PolicyName", name, "ServiceNamespace",
                  "ecs", "ResourceId", a->resource_id, "ScalableDimension",
                  "ecs:service:DesiredCount", "PolicyType", "TargetTrackingScaling",
                  "TargetTrackingScalingPolicyConfiguration", config));
    free(name);
}

/* Two decimals: clean in the file, far finer than any metric's noise. */
static double two_decimals(double v)
{
    return round(v * 100.0) / 100.0;
}

static void convert_target(as_ctx *a, k2e_node *at, int which, double ecs, const char *how)
{
    const k2e_object *hpa = a->hpa;
    if (ecs > 100.0) {
        k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, at, hpa->root,
                    "lower the target or raise the requests; ECS cannot use more than the task",
                    "HorizontalPodAutoscaler %s: %s is %.2f%% of the task's %llu %s: 100 used, "
                    "so ECS never scales out on %s", hpa->name, how, ecs,
                    (unsigned long long)a->size.task[which], units[which], resource_names[which]);
        ecs = 100.0;
    }
    ecs = two_decimals(ecs);
    if (ecs <= 0.0)
        ecs = 0.01;
    k2e_diag_at(diags_of(a), K2E_I_AUTOSCALING, at, hpa->root,
                "Kubernetes measures utilisation against the containers' requests, ECS against "
                "the task size",
                "HorizontalPodAutoscaler %s: %s, which is %g%% of the task's %llu %s: "
                "TargetValue %g on %s", hpa->name, how, ecs,
                (unsigned long long)a->size.task[which], units[which], ecs, metric_types[which]);
    add_policy(a, which, ecs);
}

static void utilization_target(as_ctx *a, k2e_node *at, int which, int64_t percent)
{
    uint64_t requests = a->size.requests[which];
    char how[160];
    snprintf(how, sizeof how, "%s %lld%% of the pods' requests (%llu %s)",
             resource_names[which], (long long)percent, (unsigned long long)requests,
             units[which]);
    if (requests == 0 || a->size.task[which] == 0) {
        k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, at, a->hpa->root,
                    "set resources.requests on the containers",
                    "HorizontalPodAutoscaler %s: %s utilisation needs requests: no policy",
                    a->hpa->name, resource_names[which]);
        return;
    }
    convert_target(a, at, which,
                   (double)percent * (double)requests / (double)a->size.task[which], how);
}

static void average_value_target(as_ctx *a, k2e_node *at, int which, k2e_node *value)
{
    const char *text = NULL, *why = NULL;
    k2e_quantity q;
    uint64_t amount = 0;
    bool ok = value && k2e_as_text(value, a->hpa->root, &text, diags_of(a)) &&
              k2e_quantity_parse(text, &q, &why) &&
              (which == CPU ? k2e_quantity_cpu_units(&q, &amount) : k2e_quantity_mib(&q, &amount));
    if (!ok || a->size.task[which] == 0) {
        k2e_diag_at(diags_of(a), K2E_E_QUANTITY, value ? value : at, a->hpa->root,
                    "write quantities like 500m or 512Mi", "invalid average value: no policy");
        return;
    }
    char how[160];
    snprintf(how, sizeof how, "%s %s per pod (%llu %s)", resource_names[which], text,
             (unsigned long long)amount, units[which]);
    convert_target(a, at, which, (double)amount * 100.0 / (double)a->size.task[which], how);
}

static int resource_index(const k2e_node *name)
{
    for (int i = 0; i < 2; i++) {
        if (k2e_is_scalar(name) && strcmp(name->value, resource_names[i]) == 0)
            return i;
    }
    return -1;
}

/* v2/v2beta2 {name, target: {type, averageUtilization | averageValue}} and
 * v2beta1 {name, targetAverageUtilization | targetAverageValue}. */
static void resource_metric(as_ctx *a, k2e_node *metric, k2e_node *resource)
{
    k2e_consume_all(resource);
    int which = resource_index(k2e_get(resource, "name"));
    if (which < 0) {
        k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, resource, a->hpa->root,
                    "ECS target tracking knows CPU and memory utilisation",
                    "HorizontalPodAutoscaler %s: resource metric not converted", a->hpa->name);
        return;
    }
    k2e_node *target = k2e_get(resource, "target");
    k2e_node *util = target ? k2e_get(target, "averageUtilization")
                            : k2e_get(resource, "targetAverageUtilization");
    k2e_node *value = target ? k2e_get(target, "averageValue")
                             : k2e_get(resource, "targetAverageValue");
    int64_t percent;
    if (k2e_svc_peek_int(util, &percent) && percent > 0)
        utilization_target(a, util, which, percent);
    else if (value)
        average_value_target(a, value, which, value);
    else
        k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, metric, a->hpa->root,
                    "give the metric an averageUtilization or averageValue target",
                    "HorizontalPodAutoscaler %s: %s target not converted", a->hpa->name,
                    resource_names[which]);
}

static void metric(as_ctx *a, k2e_node *m)
{
    k2e_consume(m);
    const char *type = k2e_is_scalar(k2e_take(m, "type")) ? k2e_get(m, "type")->value : "";
    if (strcmp(type, "Resource") == 0) {
        resource_metric(a, m, k2e_take(m, "resource"));
        return;
    }
    k2e_consume_all(m);
    k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, m, a->hpa->root,
                "publish the metric to CloudWatch and add a target-tracking policy with a "
                "CustomizedMetricSpecification, or step scaling on a CloudWatch alarm",
                "HorizontalPodAutoscaler %s: %s metric not converted (ECS target tracking "
                "scales on the whole service's CPU or memory)", a->hpa->name,
                *type ? type : "untyped");
}

static void metrics(as_ctx *a, k2e_node *spec)
{
    k2e_node *v1 = k2e_take(spec, "targetCPUUtilizationPercentage");
    k2e_node *list = k2e_take(spec, "metrics");
    int64_t percent;
    if (v1 && k2e_svc_peek_int(v1, &percent)) {
        utilization_target(a, v1, CPU, percent);
        return;
    }
    for (size_t i = 0; list && list->kind == K2E_NODE_SEQUENCE && i < list->count; i++)
        metric(a, list->items[i]);
    if (list && list->kind == K2E_NODE_SEQUENCE && list->count)
        return;
    k2e_diag_at(diags_of(a), K2E_I_AUTOSCALING, spec, a->hpa->root, NULL,
                "HorizontalPodAutoscaler %s names no metric: Kubernetes' default, cpu 80%%",
                a->hpa->name);
    utilization_target(a, spec, CPU, K2E_K8S_HPA_CPU_UTILIZATION);
}

/* --- behaviour ----------------------------------------------------------------- */

/* Absent scale-up policies are Kubernetes' default rate limit, reported as
 * written ones are (the scale-down default limits nothing). */
static void default_scale_up(as_ctx *a, k2e_node *at)
{
    k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, at, a->hpa->root,
                "target tracking adds as many tasks as the metric asks for; use step scaling "
                "to limit steps",
                "HorizontalPodAutoscaler %s: scale-up policies " K2E_TEXT(K2E_K8S_HPA_SCALE_UP_PERCENT)
                "%% or " K2E_TEXT(K2E_K8S_HPA_SCALE_UP_PODS) " pods per "
                K2E_TEXT(K2E_K8S_HPA_SCALE_UP_PERIOD) " s, whichever is more (Kubernetes' "
                "default) not converted", a->hpa->name);
}

static void direction(as_ctx *a, k2e_node *rules, k2e_node *at, bool down)
{
    int64_t window;
    if (k2e_svc_peek_int(k2e_take(rules, "stabilizationWindowSeconds"), &window) && window >= 0)
        *(down ? &a->scale_in : &a->scale_out) = window;
    k2e_node *select = k2e_take(rules, "selectPolicy");
    k2e_node *policies = k2e_take(rules, "policies");
    k2e_consume_all(policies);
    if (k2e_is_scalar(select) && strcmp(select->value, "Disabled") == 0) {
        if (down)
            a->disable_in = true;
        else
            k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, select, a->hpa->root,
                        "set MaxCapacity to MinCapacity to stop scaling out",
                        "HorizontalPodAutoscaler %s: scale-up Disabled has no target-tracking "
                        "equivalent", a->hpa->name);
        return;
    }
    if (policies)
        k2e_diag_at(diags_of(a), K2E_W_AUTOSCALING, policies, a->hpa->root,
                    "target tracking adds or removes as many tasks as the metric asks for; "
                    "use step scaling to limit steps",
                    "HorizontalPodAutoscaler %s: scale-%s rate policies not converted",
                    a->hpa->name, down ? "down" : "up");
    else if (!down)
        a->default_up = rules ? rules : at; /* said with the policies it concerns */
}

static void behaviour(as_ctx *a, k2e_node *spec)
{
    k2e_node *behavior = k2e_take(spec, "behavior");
    k2e_node *up = k2e_take(behavior, "scaleUp"), *down = k2e_take(behavior, "scaleDown");
    k2e_node *at = behavior ? behavior : spec;
    direction(a, up, at, false);
    direction(a, down, at, true);
    a->behavior = behavior;
}

/* The cooldowns, said only when a policy carries them. */
static void report_behaviour(as_ctx *a, k2e_node *spec)
{
    k2e_node *behavior = a->behavior;
    if (a->default_up)
        default_scale_up(a, a->default_up);
    k2e_diag_at(diags_of(a), K2E_I_AUTOSCALING, behavior ? behavior : spec, a->hpa->root,
                "Kubernetes acts on the highest recommendation within the window; Application "
                "Auto Scaling waits the cooldown after each scaling activity",
                "HorizontalPodAutoscaler %s: ScaleInCooldown %lld s from the scale-down "
                "stabilization window, ScaleOutCooldown %lld s from the scale-up one%s",
                a->hpa->name, (long long)a->scale_in, (long long)a->scale_out,
                a->disable_in ? "; scale-down Disabled: DisableScaleIn" : "");
}

/* --- the file -------------------------------------------------------------------- */

/* A scalable target without a policy never scales: Kubernetes would scale
 * on the metrics that did not convert, ECS would hold the count.  No file;
 * the service keeps desiredCount = minReplicas. */
static void no_policy(as_ctx *a, k2e_node *spec, int64_t min, int64_t max)
{
    k2e_node *list = k2e_get(spec, "metrics");
    k2e_diag_at(diags_of(a), K2E_W_HPA_NO_POLICY, list ? list : spec, a->hpa->root,
                "publish the metric to CloudWatch, then register the scalable target "
                "(ecs:service:DesiredCount) and a target-tracking policy with a "
                "CustomizedMetricSpecification on that metric",
                "HorizontalPodAutoscaler %s: no metric converts to ECS target tracking, so no "
                "autoscaling/%s.json (a scalable target without a policy never scales); ECS "
                "service %s keeps desiredCount %lld where Kubernetes scaled between %lld and "
                "%lld", a->hpa->name, a->svc->name, a->svc->name, (long long)a->svc->desired,
                (long long)min, (long long)max);
}

static bool capacity(as_ctx *a, k2e_node *spec, int64_t *min, int64_t *max)
{
    *min = k2e_svc_hpa_min(a->svc);
    k2e_consume(k2e_take(spec, "minReplicas"));
    k2e_node *node = k2e_take(spec, "maxReplicas");
    if (!node) {
        k2e_diag_at(diags_of(a), K2E_E_TYPE, spec, a->hpa->root, NULL,
                    "HorizontalPodAutoscaler %s has no maxReplicas: no autoscaling file",
                    a->hpa->name);
        return false;
    }
    if (!k2e_as_int(node, a->hpa->root, max, diags_of(a)))
        return false;
    if (*max >= *min && *max >= 1)
        return true;
    k2e_diag_at(diags_of(a), K2E_E_TYPE, node, a->hpa->root, NULL,
                "maxReplicas %lld is below minReplicas %lld: no autoscaling file",
                (long long)*max, (long long)*min);
    return false;
}

void k2e_svc_autoscaling(k2e_svc *svc)
{
    as_ctx a = {.svc = svc, .hpa = svc->hpa, .scale_in = K2E_K8S_HPA_SCALE_DOWN_WINDOW,
                .scale_out = K2E_K8S_HPA_SCALE_UP_WINDOW};
    k2e_node *spec = k2e_take(svc->hpa->root, "spec");
    int64_t min, max;
    if (!capacity(&a, spec, &min, &max))
        return;
    a.size = task_sizes(svc);
    a.resource_id = k2e_asprintf("service/%s/%s", k2e_svc_cluster_name(svc->run->map), svc->name);
    a.policies = json_array();
    behaviour(&a, spec);
    metrics(&a, spec);
    if (json_array_size(a.policies) == 0) {
        no_policy(&a, spec, min, max);
        json_decref(a.policies);
        free(a.resource_id);
        return;
    }
    report_behaviour(&a, spec);
    json_t *doc = json_pack("{s:{s:s, s:s, s:s, s:I, s:I}, s:o}", "scalableTarget",
                            "ServiceNamespace", "ecs", "ResourceId", a.resource_id,
                            "ScalableDimension", "ecs:service:DesiredCount", "MinCapacity",
                            (json_int_t)min, "MaxCapacity", (json_int_t)max, "scalingPolicies",
                            a.policies);
    k2e_map_output(svc->run->map, K2E_DOC_AUTOSCALING, svc->object, doc, "autoscaling/%s.json",
                   svc->name);
    free(a.resource_id);
}
