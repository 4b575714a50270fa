/* Pod template -> Fargate task definition; see taskdef.h and MAPPING.md.
 *
 * The order of work follows the data: containers first (each one's env,
 * ports and resources), then the task-level size computed from what the
 * containers need, then the task-level keys.  JSON keys are inserted in the
 * order of the RegisterTaskDefinition API reference, which is the
 * documented key order of our output.
 *
 * Sizing.  Kubernetes schedules a pod on its effective request (KEP-753,
 * native sidecars): max(max over init containers i of (init_i + the sidecars
 * started before i), sum of app containers + all sidecars), since a sidecar
 * keeps running while the init containers after it run.  ECS additionally
 * requires the sum of every container's cpu and memory reservation (init
 * containers included) to fit the task.
 * The need is the larger of the two, rounded up to the smallest valid
 * Fargate size, and the reason is reported.
 */
#include "map/taskdef.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/container.h"
#include "map/fargate.h"
#include "read/mapping_table.h"
#include "map/pod.h"
#include "map/security.h"
#include "map/tags.h"
#include "map/volumes.h"
#include "base/util.h"

typedef struct {
    uint64_t requests_cpu, requests_mem;     /* app containers and sidecars, as written */
    k2e_pod_need cpu_need, mem_need;         /* Kubernetes' effective request */
    uint64_t ecs_cpu_sum, ecs_mem_sum, ecs_mem_max;
} size_tally;

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static void tally_container(size_tally *t, const k2e_container_size *size, k2e_pod_role role)
{
    if (role != K2E_POD_INIT) { /* apps and sidecars: what utilisation is measured against */
        t->requests_cpu += size->cpu;
        t->requests_mem += size->memory_reservation ? size->memory_reservation : size->memory;
    }
    k2e_pod_need_add(&t->cpu_need, role, size->cpu_need);
    k2e_pod_need_add(&t->mem_need, role, size->memory_need);
    t->ecs_cpu_sum += size->cpu;
    t->ecs_mem_sum += size->memory_reservation ? size->memory_reservation : size->memory;
    t->ecs_mem_max = max_u64(t->ecs_mem_max, size->memory);
}

static const char *policy_name(k2e_sizing_policy policy)
{
    switch (policy) {
    case K2E_SIZING_REQUESTS: return "requests";
    case K2E_SIZING_LIMITS: return "limits";
    default: return "max";
    }
}

static bool choose_size(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                        const size_tally *t, k2e_fargate_size *size)
{
    uint64_t k8s_cpu = k2e_pod_need_total(&t->cpu_need);
    uint64_t k8s_mem = k2e_pod_need_total(&t->mem_need);
    uint64_t cpu = max_u64(k8s_cpu, t->ecs_cpu_sum);
    uint64_t mem = max_u64(max_u64(k8s_mem, t->ecs_mem_sum), t->ecs_mem_max);
    if (!k2e_fargate_pick(cpu, mem, size)) {
        k2e_diag_at(ctx->diags, K2E_E_TOO_LARGE, spec, object->root,
                    "Fargate tasks go up to 16 vCPU and 120 GiB: lower the requests/limits, "
                    "choose `sizing: requests`, or run this workload on ECS with EC2",
                    "%s %s needs %llu CPU units and %llu MiB, more than any Fargate size",
                    object->kind, object->name, (unsigned long long)cpu,
                    (unsigned long long)mem);
        return false;
    }
    const char *why = (cpu > k8s_cpu || mem > k8s_mem)
                          ? "; ECS counts every container's reservation, init containers "
                            "included, at once"
                          : "";
    k2e_diag_at(ctx->diags, K2E_I_TASK_SIZE, spec, object->root,
                "change `sizing` in the mapping table (requests, limits, max) to size by "
                "requests or limits only",
                "task size %u CPU units / %u MiB: the smallest Fargate size covering "
                "%llu CPU units and %llu MiB (sizing: %s, rounded up)%s",
                size->cpu, size->memory, (unsigned long long)cpu, (unsigned long long)mem,
                policy_name(ctx->mapping->sizing), why);
    return true;
}

static bool map_containers(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                           const char *family, const json_t *volumes, json_t *definitions,
                           size_tally *tally)
{
    k2e_node *containers = k2e_take(spec, "containers");
    k2e_node *init = k2e_take(spec, "initContainers");
    if (!containers || containers->kind != K2E_NODE_SEQUENCE || containers->count == 0) {
        k2e_diag_at(ctx->diags, K2E_E_NO_CONTAINERS, containers ? containers : spec,
                    object->root, NULL, "%s %s has no containers", object->kind, object->name);
        return false;
    }
    k2e_container_ctx cc = {ctx, object, spec, family, volumes};
    bool ok = true;
    k2e_start_after after = {NULL, false};
    if (init && k2e_expect_kind(init, object->root, K2E_NODE_SEQUENCE, ctx->diags))
        k2e_consume(init);
    for (size_t i = 0; init && init->kind == K2E_NODE_SEQUENCE && i < init->count; i++) {
        k2e_container_size size = {0};
        json_t *c = k2e_container_build(&cc, init->items[i], K2E_CONTAINER_INIT, after, &size);
        ok = c && ok;
        if (!c)
            continue;
        tally_container(tally, &size, size.sidecar ? K2E_POD_SIDECAR : K2E_POD_INIT);
        after = (k2e_start_after){json_string_value(json_object_get(c, "name")), size.sidecar};
        json_array_append_new(definitions, c);
    }
    for (size_t i = 0; i < containers->count; i++) {
        k2e_container_size size = {0};
        json_t *c = k2e_container_build(&cc, containers->items[i], K2E_CONTAINER_APP,
                                        after, &size);
        ok = c && ok;
        if (!c)
            continue;
        tally_container(tally, &size, K2E_POD_APP);
        json_array_append_new(definitions, c);
    }
    return ok;
}

/* ConfigMaps and Secrets mounted as volumes are not converted (the volume's
 * K2E-W060 says so), but they are used: don't also call them unreferenced. */
static void reference_volume_sources(k2e_map_ctx *ctx, const k2e_object *object,
                                     const k2e_node *spec)
{
    const k2e_node *volumes = k2e_get(spec, "volumes");
    for (size_t i = 0; volumes && volumes->kind == K2E_NODE_SEQUENCE && i < volumes->count; i++) {
        const k2e_node *v = volumes->items[i];
        const k2e_node *cm = k2e_get(k2e_get(v, "configMap"), "name");
        const k2e_node *secret = k2e_get(k2e_get(v, "secret"), "secretName");
        if (k2e_is_scalar(cm))
            k2e_map_reference(ctx, "", "ConfigMap", object->namespace_, cm->value);
        if (k2e_is_scalar(secret))
            k2e_map_reference(ctx, "", "Secret", object->namespace_, secret->value);
    }
}

json_t *k2e_taskdef_build(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *template_,
                          const char *family, k2e_task_size *task_size)
{
    k2e_node *metadata = k2e_take(template_, "metadata");
    k2e_node *spec = k2e_take(template_, "spec");
    if (!spec || !k2e_expect_kind(spec, object->root, K2E_NODE_MAPPING, ctx->diags))
        return NULL;
    k2e_consume(metadata);
    /* `kubectl get -o yaml` writes creationTimestamp: null into templates. */
    k2e_node *created = k2e_get(metadata, "creationTimestamp");
    if (k2e_is_null(created))
        k2e_consume(created);
    json_t *definitions = json_array();
    size_tally tally = {0};
    k2e_fargate_size size;
    reference_volume_sources(ctx, object, spec);
    json_t *volumes = NULL, *storage = NULL;
    bool ok = k2e_volumes_build(spec, object->root, ctx->mapping, object->namespace_,
                                ctx->index->default_namespace, &volumes, ctx->diags);
    ok = k2e_ephemeral_storage_build(spec, object->root, &storage, ctx->diags) && ok;
    if (!map_containers(ctx, object, spec, family, volumes, definitions, &tally) ||
        !choose_size(ctx, object, spec, &tally, &size) || !ok) {
        /* Still report what else Fargate forbids, so one run shows it all. */
        k2e_security_pod(spec, object->root, NULL, ctx->diags);
        json_decref(definitions);
        json_decref(volumes);
        json_decref(storage);
        return NULL;
    }
    k2e_map_use(ctx, K2E_KEY_EXECUTION_ROLE);
    json_t *td = json_object();
    json_object_set_new(td, "family", json_string(family));
    json_object_set_new(td, "executionRoleArn",
                        json_string(ctx->mapping->execution_role_arn.value));
    json_object_set_new(td, "networkMode", json_string("awsvpc"));
    json_object_set_new(td, "containerDefinitions", definitions);
    if (json_array_size(volumes))
        json_object_set_new(td, "volumes", volumes);
    else
        json_decref(volumes);
    if (storage)
        json_object_set_new(td, "ephemeralStorage", storage);
    json_object_set_new(td, "requiresCompatibilities", json_pack("[s]", "FARGATE"));
    char cpu[16], memory[16];
    snprintf(cpu, sizeof cpu, "%u", size.cpu);
    snprintf(memory, sizeof memory, "%u", size.memory);
    json_object_set_new(td, "cpu", json_string(cpu));
    json_object_set_new(td, "memory", json_string(memory));
    k2e_pod_apply(ctx, object, spec, td);
    if (!k2e_security_pod(spec, object->root, td, ctx->diags)) {
        json_decref(td);
        return NULL;
    }
    json_t *tags = k2e_labels_to_tags(k2e_take(metadata, "labels"), object->root, "tag",
                                      ctx->diags);
    if (tags && json_array_size(tags) > 0)
        json_object_set_new(td, "tags", tags);
    else
        json_decref(tags);
    *task_size = (k2e_task_size){size.cpu, size.memory, tally.requests_cpu, tally.requests_mem};
    return td;
}
